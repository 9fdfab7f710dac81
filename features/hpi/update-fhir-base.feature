@hpi @source:hpi/update-practitionerrole.md @source:fhir-r4/http.html#3.1.0.4
Feature: Update a PractitionerRole: what FHIR R4 adds where the HPI pages are silent
  An HPI update is a FHIR R4 update. The resource sent names the role it
  updates, and the version and time of the change are the server's to set,
  whatever the resource sent says about them.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  # FHIR R4 answers 400; an HPI server may answer 422, the update page's status
  # for a change it does not allow (docs/spec-defects.md, D-HPI-70).
  @rule:HPI-UPD-id-matches-url
  Scenario Outline: An update whose resource does not name the role in the URL is refused
    When the system updates the role, with <change>
    Then the request is refused with one of the statuses 400 or 422
    And the role is unchanged

    Examples:
      | change                 | why                       |
      | id set to "R99999999-Z" | the resource names another role |
      | id removed             | the resource names no role |

  @rule:HPI-UPD-meta-ignored
  Scenario: A version sent in the resource is ignored
    When the system updates the role, with meta.versionId set to "7777"
    Then the response status is 200 OK
    And reading the role shows a version the server made, not "7777"

  @rule:HPI-UPD-meta-ignored
  Scenario: A last-updated time sent in the resource is ignored
    When the system updates the role, with meta.lastUpdated set to "2001-01-01T00:00:00Z"
    Then the response status is 200 OK
    And reading the role shows a last update the server made, not "2001-01-01T00:00:00Z"
