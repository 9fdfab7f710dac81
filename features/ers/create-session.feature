@ers @source:ers/A001-create-professional-session.md @rule:ERS-A001-endpoint
Feature: Create a professional session (A001)
  A clinician signs in to e-RS from an integrated system with their NHS
  smartcard. The system exchanges the smartcard token for a professional
  session, which lists every role the user may act in. No role is selected
  yet: the user picks one next (A002). Every scenario here sends
  POST /v1/ProfessionalSession, where the page puts A001.

  @rule:ERS-A001-201-created
  Scenario: A valid smartcard token opens a session with 201 Created
    When the smartcard user "clinician" creates a professional session
    Then the response status is 201 Created

  @rule:ERS-A001-token-only-body
  Scenario: A body that provides only the token opens a session
    When the smartcard user "clinician" creates a professional session with a body that provides only the token
    Then the request is accepted with a 2xx status and a JSON object

  @rule:ERS-A001-answers-json
  Scenario: The new session is answered as JSON, as the request asks
    When the smartcard user "clinician" creates a professional session
    Then the session is answered as JSON, labelled application/json

  @rule:ERS-MODEL-professional-session @source:ers/models.md
  Scenario: The new session is a ProfessionalSession resource
    When the smartcard user "clinician" creates a professional session
    Then the response body is a ProfessionalSession as models.md describes it

  @rule:ERS-A001-permissions-listed
  Scenario: The new session lists every permission the user holds
    When the smartcard user "clinician" creates a professional session
    Then the session lists exactly the permissions the profile gives for "clinician"

  @rule:ERS-A001-permissions-listed
  Scenario: A user with permissions at two organisations has both listed
    When the smartcard user "multi-org" creates a professional session
    Then the session lists exactly the permissions the profile gives for "multi-org"

  @rule:ERS-MODEL-typeinfo @source:ers/A001_Response.json
  Scenario: A new session that names its type names the one the example gives
    When the smartcard user "clinician" creates a professional session
    Then the session's typeInfo, where it gives one, is "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"

  @rule:ERS-A001-user-identified
  Scenario Outline: The new session names the smartcard user
    When the smartcard user "<user>" creates a professional session
    Then the session's user has the identifier the profile gives for "<user>"

    Examples:
      | user      | why                                                           |
      | clinician | the user of the published example                             |
      | multi-org | another user, so that one identifier for everyone is noticed |

  @rule:ERS-A001-no-permission-selected
  Scenario: No role is selected when a session is created
    When the smartcard user "clinician" creates a professional session
    Then the session has no permission selected

  @rule:ERS-MODEL-business-function @source:ers/models.md
  Scenario: Every listed permission names a documented business function
    When the smartcard user "multi-org" creates a professional session
    Then every permission the session lists has a business function from the BusinessFunction value set
