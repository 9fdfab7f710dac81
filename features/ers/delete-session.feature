@ers @source:ers/A003-delete-professional-session.md @source:ers/A003-later-revision.md @rule:ERS-A003-endpoint
Feature: Close a professional session (A003)
  When the user has finished, the integrated system logs them out by
  deleting the professional session, with the key A001 returned. From then
  on its session key is invalid: nothing more can be done with it. Every
  scenario here sends DELETE /v1/ProfessionalSession/{sessionKey}.

  Background:
    Given the smartcard user "clinician" has opened a professional session
    And the user has selected a permission their session lists

  @rule:ERS-A003-204-no-content
  Scenario: Closing a session answers 204 No Content
    When the user closes the session
    Then the response status is 204 No Content

  @rule:ERS-A003-no-body
  Scenario: The answer to closing a session has no body
    When the user closes the session
    Then the response has no body

  @rule:ERS-A003-key-invalid-after-delete @source:ers/error-messages.md
  @rule:ERS-A002-endpoint @rule:ERS-A002-error-status @source:ers/A002-later-revision.md
  Scenario: A closed session cannot select a role
    Given the user has closed the session
    When the user selects a permission their session lists
    Then the request is refused with one of the documented statuses 403, 404, 410 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A003-key-invalid-after-delete @source:ers/error-messages.md
  Scenario: A closed session cannot be closed again
    Given the user has closed the session
    When the user closes the session
    Then the request is refused with one of the documented statuses 403, 404, 410 or 422
    And a 422 answer carries an OperationOutcome
