@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: what the record never had is not required
  An update must contain an organisation and/or a facility, and a role code,
  "if present on the PractitionerRole record". The refusals when the record
  has them are in update-practitionerrole-errors.feature; here the record
  never had one, and the update is accepted without it.

  # docs/spec-defects.md, D-HPI-44.
  Scenario Outline: An update need not contain what the record never had
    Given the system has created a PractitionerRole, with <element> removed
    And the system has read the role's current version
    When the system adds the contact point "email" "reception@example.org" with rank 3
    Then the response status is 200 OK

    @rule:HPI-UPD-code-required
    Examples: A role without a role code
      | element |
      | code    |

    @rule:HPI-UPD-org-or-facility
    Examples: A role without an organisation, or without a facility
      | element      |
      | organization |
      | location     |
