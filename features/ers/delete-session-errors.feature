@ers @source:ers/A003-delete-professional-session.md @source:ers/A003-later-revision.md @source:ers/error-messages.md
Feature: Close a professional session (A003): refusals
  Only a valid session can be closed, and only by a system that names
  itself and the session: the session key in the header is the sessionKey
  of the path. A refused close closes nothing.

  @rule:ERS-A003-endpoint
  Scenario Outline: A request without a required header closes nothing
    Given the smartcard user "clinician" has opened a professional session
    And the user has selected a permission their session lists
    When the user closes the session without the <header> header
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

    @rule:ERS-A003-asid-required
    Examples: The calling system is not named
      | header    | why                                                  |
      | XAPI_ASID | the Accredited System ID is a required header (A003) |

    @rule:ERS-A003-session-key-required
    Examples: The session is not named
      | header             | why                                         |
      | HTTP_X_SESSION_KEY | the session key is a required header (A003) |

  @rule:ERS-A003-asid-issued @rule:ERS-A003-endpoint @source:ers/A003-later-revision.md
  Scenario: A request naming a system that was never accredited closes nothing
    Given the smartcard user "clinician" has opened a professional session
    And the user has selected a permission their session lists
    When the user closes the session, naming a system that was never accredited
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-A003-session-key-matches-path @rule:ERS-A003-endpoint
  Scenario Outline: A session key header naming another open session closes neither
    Given the smartcard user "clinician" has opened a professional session
    And the smartcard user "multi-org" has opened a professional session
    When the session of "<path>" is closed on its path, with the session key of "<header>" in the header
    Then the request is refused with one of the documented statuses 400, 403 or 422
    And a 422 answer carries an OperationOutcome
    And the sessions of "clinician" and "multi-org" are still open, each selecting a role with its own key

    Examples:
      | path      | header    | why                                                            |
      | clinician | multi-org | the header names another user's open session                   |
      | multi-org | clinician | the other way round: neither key may stand in for the other's |

  @rule:ERS-A003-valid-session-required @rule:ERS-A003-endpoint
  Scenario: A session key that e-RS never issued closes nothing
    When a session key that e-RS never issued is closed
    Then the request is refused with one of the documented statuses 403, 404 or 422
    And a 422 answer carries an OperationOutcome

  @rule:ERS-ERR-405-method-not-allowed @source:ers/error-messages.md
  Scenario: A method the session endpoint does not support is refused with 405
    Given the smartcard user "clinician" has opened a professional session
    When the system sends a PATCH request to the session
    Then the response status is 405 Method Not Allowed
