@ers @source:ers/A002-professional-session-select-role.md @rule:ERS-A002-endpoint
Feature: Select a role for a professional session (A002)
  A user who holds several roles acts in one at a time. After the session is
  opened, the integrated system sends it back with one of the permissions it
  lists filled in; e-RS applies that permission and returns the session.
  Every scenario here sends PUT /v1/ProfessionalSession/{sessionKey}.

  Background:
    Given the smartcard user "clinician" has opened a professional session

  @rule:ERS-A002-200-ok
  Scenario: A permission the session lists is selected with 200 OK
    When the user selects a permission their session lists
    Then the response status is 200 OK

  @rule:ERS-MODEL-professional-session @source:ers/models.md
  Scenario: Selecting a role returns the ProfessionalSession resource
    When the user selects a permission their session lists
    Then the response body is a ProfessionalSession as models.md describes it

  @rule:ERS-A002-permission-applied
  Scenario: The selected permission is applied to the session
    When the user selects a permission their session lists
    Then the session's selected permission is the one the user chose

  @rule:ERS-A002-permission-named @source:ers/A002_Request.json
  Scenario: A permission named by its business function and organisation alone is selected
    When the user selects a permission their session lists, naming only its business function and organisation
    Then the request is accepted with a 2xx status and a JSON object

  @rule:ERS-MODEL-typeinfo @source:ers/A002_Response.json
  Scenario: A session with a role selected that names its type names the one the example gives
    When the user selects a permission their session lists
    Then the session's typeInfo, where it gives one, is "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"

  @rule:ERS-A002-permissions-still-listed
  Scenario: The session still lists all the user's permissions once a role is selected
    When the user selects a permission their session lists
    Then the session lists the same permissions as when it was opened
