@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: no duplicate or overlapping roles
  A practitioner may hold the same role at the same place more than once,
  but only at different times: an update must not make the role duplicate
  or overlap another.

  @rule:HPI-UPD-no-duplicate
  Scenario: An update that would make the role overlap another is refused
    Given the system has created a PractitionerRole that ended on "2021-12-31"
    And the system has created the same role again, starting on "2022-01-01"
    And the system has read the first role's current version
    When the system ends the role on "2022-06-30" with a status reason
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message                              |
      | error    | processing | Resource validation error: duplicate |
    And the role is unchanged

  @rule:HPI-UPD-no-duplicate
  Scenario: An update that ends the role on the day the other starts is refused
    Given the system has created a PractitionerRole that ended on "2021-06-30"
    And the system has created the same role again, starting on "2022-01-01"
    And the system has read the first role's current version
    When the system ends the role on "2022-01-01" with a status reason
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message                              |
      | error    | processing | Resource validation error: duplicate |
    And the role is unchanged

  @rule:HPI-UPD-no-duplicate
  Scenario: An update that ends the role the day before the other starts is accepted
    Given the system has created a PractitionerRole that ended on "2021-06-30"
    And the system has created the same role again, starting on "2022-01-01"
    And the system has read the first role's current version
    When the system ends the role on "2021-12-31" with a status reason
    Then the response status is 200 OK
