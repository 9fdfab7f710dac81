@ers @source:ers/A001-create-professional-session.md @source:ers/A001-later-revision.md @source:ers/error-messages.md
@rule:ERS-A001-endpoint @rule:ERS-A001-error-status
Feature: Create a professional session (A001): refusals
  e-RS opens a session only for a smartcard token it recognises, sent by a
  system that names the Accredited System ID it was issued. Anything else is
  refused with an error status from the documented list, never a success
  status with an error body; a 422 also carries an OperationOutcome saying
  what failed validation.

  @rule:ERS-A001-token-recognised
  Scenario: A token that no smartcard issued opens no session
    When a professional session is requested with a token that no smartcard issued
    Then the request is refused with one of the documented statuses 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A001-asid-required
  Scenario: A request that does not name the calling system opens no session
    When the smartcard user "clinician" creates a professional session without the XAPI_ASID header
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A001-asid-issued @source:ers/A001-later-revision.md
  Scenario: A request naming a system that was never accredited opens no session
    When the smartcard user "clinician" creates a professional session, naming a system that was never accredited
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A001-body-valid @rule:ERS-ERR-422-operation-outcome
  Scenario Outline: A request body that cannot be processed opens no session
    When a professional session is requested with this body:
      """
      <body>
      """
    Then the request is refused with one of the documented statuses 400 or 422
    And a 422 answer carries an OperationOutcome

    Examples:
      | body                                                                                                   | why                                                       |
      | {"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"}                                     | the body must provide the smartcard token (A001 Input)    |
      | {"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession", "token": ""}                        | an empty token is no token                                |
      | typeInfo=uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession&token=                                     | malformed data is refused (error-messages.md, 400)        |
      | [{"typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession", "token": "AQIC5wM2LY4SfcxARRAY="}] | the body must be a ProfessionalSession object, not a list |
