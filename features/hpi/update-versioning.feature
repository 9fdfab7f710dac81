@hpi @source:hpi/update-practitionerrole.md @source:hpi/general-request-rules.md
Feature: Update a PractitionerRole: versions
  An update must carry the current version-id of the role in If-Match, so
  that no one overwrites a change they have not seen. Each successful update
  makes a new version.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-UPD-current-version
  Scenario: An update carrying the current version succeeds
    When the system updates the role's contact points
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-current-version
  Scenario: A successful update makes a new version
    When the system updates the role's contact points
    Then reading the role shows a newer version than the one updated

  # No HPI page gives the status of EM07106; FHIR R4 lists 409 and 412 for a
  # version conflict, and answers a failed If-Match with 412 (D-HPI-03).
  @rule:HPI-UPD-stale-version @source:fhir-r4/http.html#3.1.0.5
  Scenario: An update carrying an out-of-date version is refused
    Given another user has since updated the role
    When the system updates the role's contact points with the version it read
    Then the update is refused as out of date, with status 409 or 412 and the code "EM07106" "Record version provided is out of date. The record cannot be updated"
    And the role is unchanged since the other user's update

  @rule:HPI-UPD-version-required
  Scenario: An update without a version is refused
    When the system updates the role's contact points without the If-Match header
    Then the request is refused with a 4xx status
    And the role is unchanged

  # The integrating application "retains the version number for future
  # requests relating to this record" (D-HPI-49).
  @rule:HPI-UPD-version-named
  Scenario: An update answers with the role's new version
    When the system updates the role's contact points
    Then the response status is 200 OK
    And the answer names the role's new version
