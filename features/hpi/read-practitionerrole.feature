@hpi @source:hpi/get-practitionerrole.md @source:hpi/general-request-rules.md
Feature: Read a PractitionerRole, and the version an update needs
  Before an update, a system reads the role by its hpi-practitionerrole-id
  and keeps the version the HPI returns, because an update must carry it.

  @rule:HPI-GET-read-by-id @compliance:HPI-PR-Get-1
  Scenario: A role is read by its hpi-practitionerrole-id
    Given the system has created a PractitionerRole
    When the system reads the role
    Then the response status is 200 OK
    And the response body is the PractitionerRole that was asked for

  @rule:HPI-GET-etag
  Scenario: A read returns the role's version in the ETag header
    Given the system has created a PractitionerRole
    When the system reads the role
    Then the response carries an ETag with the role's version

  @rule:HPI-GET-invalid-id
  Scenario: An id the HPI never issued is not found
    When the system reads the role "R99999999-Z"
    Then the response status is 404 Not Found
    And the OperationOutcome has the issue:
      | severity | code       | message begins with |
      | error    | processing | Invalid id:         |
