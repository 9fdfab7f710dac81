@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: refusals
  An update can only modify contact points, the messaging address and the
  period end date. It must name the same practitioner as the record, keep the
  organisation or facility and the role code the record has, give a status
  reason with an end date, and must not make the role duplicate or overlap
  another. A refused update changes nothing.

  Scenario Outline: An update that breaks an update rule is refused with its documented message
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role with <change>
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome's message is "<message>"
    And the role is unchanged

    @rule:HPI-UPD-person-matches
    Examples: The hpi-person-id must match the record
      | change                                   | message               |
      | the hpi-person-id of another practitioner | hpi-person-id invalid |

    @rule:HPI-UPD-person-required
    Examples: The hpi-person-id is required
      | change           | message                   |
      | no hpi-person-id | hpi-person-id is required |

    @rule:HPI-UPD-org-or-facility
    Examples: The organisation or facility on the record is required
      | change                           | message                                            |
      | neither organisation nor facility | hpi-organization-id or hpi-facility-id is required |

    @rule:HPI-UPD-code-required
    Examples: The role code on the record is required (message as published, misspelt: D-HPI-06)
      | change       | message                       |
      | no role code | PractitionerRole code requird |

    @rule:HPI-UPD-end-needs-reason
    Examples: A status reason is mandatory with an end date (spelling of this page: D-HPI-07)
      | change                                 | message                                    |
      | an end date and no status reason       | practitionerRole-status-reason is required |

  @rule:HPI-UPD-only-contact-address-end
  Scenario Outline: An update may not change anything but contact points, messaging address and end date
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role with <change>
    Then the response status is 422 Unprocessable Entity
    And the answer is an OperationOutcome with an error
    And the role is unchanged

    Examples:
      | change                     | why                                              |
      | a different role code      | the role code is not among what may change        |
      | a different start date     | only the end of the period may change             |
      | a different organisation   | the organisation is not among what may change     |

  @rule:HPI-UPD-no-duplicate
  Scenario: An update that would make the role overlap another is refused
    Given the system has created a PractitionerRole that ended on "2021-12-31"
    And the system has created the same role again, starting on "2022-01-01"
    And the system has read the first role's current version
    When the system ends the role on "2022-06-30" with a status reason
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome's message is "Resource validation error: duplicate"
    And the role is unchanged

  @rule:HPI-UPD-valid-id
  Scenario: An update of a role the HPI never issued changes nothing
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system sends the update to the role id "R99999999-Z"
    Then the request is refused with one of the statuses 404 or 422
    And the role is unchanged
