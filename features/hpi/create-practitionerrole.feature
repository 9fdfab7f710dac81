@hpi @source:hpi/add-practitionerrole.md
Feature: Add a PractitionerRole (the records the update scenarios work on)
  Every update scenario first adds the role it changes, so the add rules are
  checked here: a role needs a known practitioner and an organisation or
  facility, a status reason with an end date, and must not duplicate or
  overlap another role.

  @rule:HPI-ADD-minimum @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Add-1
  Scenario: A role with a practitioner and a facility is added
    When the system adds a PractitionerRole with only a practitioner and a facility
    Then the response status is 201 Created
    And the answer names the new role's hpi-practitionerrole-id
    And reading the new role shows what the system sent

  @rule:HPI-ADD-minimum @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Add-2
  Scenario: A role with every attribute is added
    When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
    Then the response status is 201 Created
    And the answer names the new role's hpi-practitionerrole-id
    And reading the new role shows what the system sent

  # <change> is "<element> removed" or "<element> set to <value>": elements are
  # the role's JSON paths; a value is JSON, or "an unknown practitioner".
  Scenario Outline: A role that breaks an add rule is refused with its documented message
    When the system adds a PractitionerRole, with <change>
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message   |
      | error    | processing | <message> |

    @rule:HPI-ADD-person-required
    Examples: The hpi-person-id is required
      | change               | message                   |
      | practitioner removed | hpi-person-id is required |

    @rule:HPI-ADD-person-valid
    Examples: The hpi-person-id must be valid
      | change                                      | message               |
      | practitioner set to an unknown practitioner | hpi-person-id invalid |

    @rule:HPI-ADD-org-or-facility
    Examples: An organisation or facility is required
      | change                            | message                                            |
      | organization and location removed | hpi-organization-id or hpi-facility-id is required |

    @rule:HPI-ADD-end-needs-reason
    Examples: A status reason is mandatory with an end date (spelling of this page: D-HPI-07)
      | change                         | message                                    |
      | period.end set to "2030-06-30" | PractitionerRole-status-reason is required |

  @rule:HPI-ADD-no-duplicate
  Scenario: A role that duplicates an existing role is refused
    Given the system has created a PractitionerRole
    When the system adds the same role again
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message                              |
      | error    | processing | Resource validation error: duplicate |

  # "an hpi-facility-id and/or hpi-organisation-id": either alone will do.
  @rule:HPI-ADD-minimum
  Scenario: A role with a practitioner and an organisation is added
    When the system adds a PractitionerRole with only a practitioner and an organisation
    Then the response status is 201 Created
    And the answer names the new role's hpi-practitionerrole-id
    And reading the new role shows what the system sent

  # An add "may include" a period's end (with the status reason it needs) and
  # a messaging address, as well as what the full add above sends.
  @rule:HPI-ADD-minimum
  Scenario: A role with an end date, a status reason and a messaging address is added
    When the system adds a PractitionerRole with an end date, a status reason and a messaging address
    Then the response status is 201 Created
    And reading the new role shows what the system sent

  # The integrating application "retains the hpi-practitionerrole-id and
  # version number" (D-HPI-49).
  @rule:HPI-ADD-version-named
  Scenario: An add answers with the new role's version
    When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
    Then the response status is 201 Created
    And the answer names the new role's version

  # Two roles overlap when their periods share a day (D-HPI-11).
  @rule:HPI-ADD-no-duplicate
  Scenario: A role that starts on the day the same role ended overlaps it, and is refused
    Given the system has created a PractitionerRole that ended on "2021-12-31"
    When the system adds the same role again, starting on "2021-12-31"
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message                              |
      | error    | processing | Resource validation error: duplicate |

  @rule:HPI-ADD-no-duplicate
  Scenario: A role that starts the day after the same role ended is added
    Given the system has created a PractitionerRole that ended on "2021-12-31"
    When the system adds the same role again, starting on "2022-01-01"
    Then the response status is 201 Created
