@hpi @source:hpi/add-practitionerrole.md
Feature: Add a PractitionerRole (the records the update scenarios work on)
  Every update scenario first adds the role it changes, so the add rules are
  checked here: a role needs a known practitioner and an organisation or
  facility, a status reason with an end date, and must not duplicate or
  overlap another role.

  @rule:HPI-ADD-minimum @source:hpi/onboarding-and-compliance-testing.md
  Scenario: A role with a practitioner and a facility is added
    When the system adds a PractitionerRole with only a practitioner and a facility
    Then the response status is 201 Created
    And the answer names the new role's hpi-practitionerrole-id
    And reading the new role shows what the system sent

  @rule:HPI-ADD-minimum @source:hpi/onboarding-and-compliance-testing.md
  Scenario: A role with every attribute is added
    When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
    Then the response status is 201 Created
    And the answer names the new role's hpi-practitionerrole-id
    And reading the new role shows what the system sent

  Scenario Outline: A role that breaks an add rule is refused with its documented message
    When the system adds a PractitionerRole with <flaw>
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome's message is "<message>"

    @rule:HPI-ADD-person-required
    Examples: The hpi-person-id is required
      | flaw             | message                   |
      | no hpi-person-id | hpi-person-id is required |

    @rule:HPI-ADD-person-valid
    Examples: The hpi-person-id must be valid
      | flaw                                   | message               |
      | an hpi-person-id the HPI does not know | hpi-person-id invalid |

    @rule:HPI-ADD-org-or-facility
    Examples: An organisation or facility is required
      | flaw                              | message                                            |
      | neither organisation nor facility | hpi-organization-id or hpi-facility-id is required |

    @rule:HPI-ADD-end-needs-reason
    Examples: A status reason is mandatory with an end date (spelling of this page: D-HPI-07)
      | flaw                             | message                                    |
      | an end date and no status reason | PractitionerRole-status-reason is required |

  @rule:HPI-ADD-no-duplicate
  Scenario: A role that duplicates an existing role is refused
    Given the system has created a PractitionerRole
    When the system adds the same role again
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome's message is "Resource validation error: duplicate"
