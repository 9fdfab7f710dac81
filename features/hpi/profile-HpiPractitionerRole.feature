@hpi @source:hpi/profile-HpiPractitionerRole.fsh
Feature: The HPIPractitionerRole profile: the roles the HPI holds
  The profile describes "the PractitionerRole that will be returned by the
  HPI". Whatever a system sends, the role the HPI then holds keeps to it: a
  target may refuse what the profile does not allow, or drop it, but never
  keep it (docs/spec-defects.md, D-HPI-48).

  @rule:HPI-PROF-official-identifier
  Scenario: A role the HPI adds carries its hpi-practitionerrole-id as the profile's official identifier
    When the system adds a PractitionerRole with an organisation, a facility, a role code, contact points and a period
    Then the response status is 201 Created
    And the role carries its hpi-practitionerrole-id as the profile's one official identifier

  @rule:HPI-PROF-official-identifier
  Scenario: A role the HPI updates still carries one official identifier
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role's contact points
    Then the response status is 200 OK
    And the role carries its hpi-practitionerrole-id as the profile's one official identifier

  @rule:HPI-PROF-elements
  Scenario Outline: A role added with what the profile does not allow is not held that way
    When the system adds a PractitionerRole, with <change>
    Then whatever the answer, the role the HPI holds keeps to the elements of the HPIPractitionerRole profile

    Examples: The references name the profile's types
      | change                                                      | why                                          |
      | practitioner set to the practitioner's id as a Person       | practitioner only Reference(HPIPractitioner) |
      | organization set to a reference to the facility             | organization only Reference(HpiOrganization) |
      | location.0 set to a reference to the organisation           | location only Reference(HpiLocation)         |

    Examples: The elements the profile removes
      | change                                                             | why                       |
      | specialty set to [{"text": "General practice"}]                    | specialty 0..0            |
      | healthcareService set to [{"reference": "HealthcareService/HS1"}] | healthcareService 0..0    |
      | availableTime set to [{"allDay": true}]                            | availableTime 0..0        |
      | notAvailable set to [{"description": "On leave"}]                  | notAvailable 0..0         |
      | availabilityExceptions set to "Closed on public holidays"          | availabilityExceptions 0..0 |
      | endpoint set to [{"reference": "Endpoint/E1"}]                     | endpoint 0..0             |

    Examples: The elements the profile allows once
      | change                                         | why                     |
      | location set to two references to the facility | location 0..1           |
      | code set to two role codes                     | code 0..1               |
      | extension set to two messaging addresses       | messaging-address 0..1  |

  # An update can change contact points and the messaging address, and no
  # more (update-practitionerrole-errors.feature): what it sends of the rest
  # the profile removes is not held either.
  @rule:HPI-PROF-elements @source:hpi/update-practitionerrole.md
  Scenario Outline: A role updated with what the profile does not allow is not held that way
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role, with <change>
    Then whatever the answer, the role the HPI holds keeps to the elements of the HPIPractitionerRole profile

    Examples:
      | change                                                             | why                         |
      | specialty set to [{"text": "General practice"}]                    | specialty 0..0              |
      | healthcareService set to [{"reference": "HealthcareService/HS1"}] | healthcareService 0..0      |
      | availableTime set to [{"allDay": true}]                            | availableTime 0..0          |
      | notAvailable set to [{"description": "On leave"}]                  | notAvailable 0..0           |
      | availabilityExceptions set to "Closed on public holidays"          | availabilityExceptions 0..0 |
      | endpoint set to [{"reference": "Endpoint/E1"}]                     | endpoint 0..0               |
      | extension set to two messaging addresses                           | messaging-address 0..1      |

  # The value sets are not published here; a code no value set of its kind
  # can hold is checked (D-HPI-42).
  @rule:HPI-PROF-bindings
  Scenario: A role code from outside the practitioner-role-code value set is not held
    When the system adds a PractitionerRole, with code set to [{"coding": [{"system": "http://www.abs.gov.au/ausstats/abs@.nsf/mf/1220.0", "code": "not-a-role-code"}]}]
    Then whatever the answer, the HPI holds no role with the role code "not-a-role-code"

  @rule:HPI-PROF-bindings
  Scenario: A contact point use from outside the hpi-contact-point-use-code value set is not held, on an add
    When the system adds a PractitionerRole, with telecom.0.use set to "pager"
    Then whatever the answer, the role the HPI holds has no contact point of use "pager"

  @rule:HPI-PROF-bindings @source:hpi/update-practitionerrole.md
  Scenario: A contact point use from outside the hpi-contact-point-use-code value set is not held, on an update
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role, with telecom.0.use set to "pager"
    Then whatever the answer, the role the HPI holds has no contact point of use "pager"
