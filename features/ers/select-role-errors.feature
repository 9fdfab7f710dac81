@ers @source:ers/A002-professional-session-select-role.md @source:ers/A002-later-revision.md @source:ers/error-messages.md
@rule:ERS-A002-endpoint @rule:ERS-A002-error-status
Feature: Select a role for a professional session (A002): refusals
  Only a permission the session lists can be selected, only on a session
  e-RS issued, and only by a system that names itself and the session: the
  session key in the header is the one in the path. A permission is a
  business function at an organisation: holding the function somewhere
  else is not enough. A refusal is an error status, never a success status
  with an error body.

  @rule:ERS-A002-permission-held
  Scenario: A business function the user does not hold cannot be selected
    Given the smartcard user "clinician" has opened a professional session
    When the user selects a business function their session does not list
    Then the request is refused with one of the documented statuses 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A002-permission-held
  Scenario: A business function held at one organisation cannot be selected at another
    Given the smartcard user "multi-org" has opened a professional session
    When the user selects a business function they hold, at an organisation where they do not hold it
    Then the request is refused with one of the documented statuses 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-MODEL-business-function @source:ers/models.md
  Scenario: A business function outside the documented value set cannot be selected
    Given the smartcard user "clinician" has opened a professional session
    When the user selects the business function "CHIEF_SURGEON" at an organisation their session lists
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A002-body-valid @rule:ERS-ERR-422-operation-outcome
  Scenario: A session sent back without a permission selects no role
    Given the smartcard user "clinician" has opened a professional session
    When the user sends back the session as it was opened, with no permission filled in
    Then the request is refused with one of the documented statuses 400 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A002-body-valid @rule:ERS-ERR-422-operation-outcome
  Scenario: The published A002 example is refused, as it is not valid JSON (docs/spec-defects.md D-ERS-03)
    Given the smartcard user "clinician" has opened a professional session
    When the user sends this select-role body:
      """
      {
        "typeInfo": "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession",
        "token": "AQIC5wM2LY4Sfcyw62EbAOsRpdfbGYUOyvkfZ4M6U7W52lM=@AAJTSQACMDE=#"
      "permission":{"businessFunction":"SERVICE_PROVIDER_CLINICIAN", "orgIdentifier":"R01"}
      }
      """
    Then the request is refused with one of the documented statuses 400 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A002-body-valid @rule:ERS-ERR-422-operation-outcome
  Scenario: A select-role body that is not JSON selects no role
    Given the smartcard user "clinician" has opened a professional session
    When the user sends this select-role body:
      """
      typeInfo=uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession&token=
      """
    Then the request is refused with one of the documented statuses 400 or 422
    And a 422 answer carries an OperationOutcome

  Scenario Outline: A request without a required header selects no role
    Given the smartcard user "clinician" has opened a professional session
    When the user selects a permission their session lists, without the <header> header
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

    @rule:ERS-A002-asid-required
    Examples: The calling system is not named
      | header    | why                                                  |
      | XAPI_ASID | the Accredited System ID is a required header (A002) |

    @rule:ERS-A002-session-key-required
    Examples: The session is not named
      | header             | why                                                   |
      | HTTP_X_SESSION_KEY | the session key from A001 is a required header (A002) |

  @rule:ERS-A002-asid-issued @source:ers/A002-later-revision.md
  Scenario: A request naming a system that was never accredited selects no role
    Given the smartcard user "clinician" has opened a professional session
    When the user selects a permission their session lists, naming a system that was never accredited
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A002-session-key-matches-path
  Scenario Outline: A session key header naming another open session selects no role in either
    Given the smartcard user "clinician" has opened a professional session
    And the smartcard user "multi-org" has opened a professional session
    When a permission both sessions list is selected on the path of the session of "<path>", with the session key of "<header>" in the header
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome
    And the sessions of "clinician" and "multi-org" are still open, each selecting a role with its own key

    Examples:
      | path      | header    | why                                                            |
      | clinician | multi-org | the header names another user's open session                   |
      | multi-org | clinician | the other way round: neither key may stand in for the other's |

  @rule:ERS-A002-session-key-known
  Scenario: A session key that e-RS never issued selects no role
    Given the smartcard user "clinician" has opened a professional session
    When the user selects a permission their session lists, on a session key that e-RS never issued
    Then the request is refused with one of the documented statuses 403, 404 or 422
    And a 422 answer carries an OperationOutcome
