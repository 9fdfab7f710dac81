@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: refusals
  An update can only modify contact points, the messaging address and the
  period end date. It must name the same practitioner as the record, keep the
  organisation or facility and the role code the record has, and give a
  status reason with an end date. A refused update changes nothing.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  # <change> is "<element> removed" or "<element> set to <value>": elements are
  # the role's JSON paths; a value is JSON ("2030-06-30", with its quotes), or
  # one of the profile's: "another practitioner", "a different role code".
  Scenario Outline: An update that breaks an update rule is refused with its documented message
    When the system updates the role, with <change>
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has the issue:
      | severity | code       | message   |
      | error    | processing | <message> |
    And the role is unchanged

    @rule:HPI-UPD-person-matches
    Examples: The hpi-person-id must match the record
      | change                                   | message               |
      | practitioner set to another practitioner | hpi-person-id invalid |

    @rule:HPI-UPD-person-required
    Examples: The hpi-person-id is required
      | change               | message                   |
      | practitioner removed | hpi-person-id is required |

    @rule:HPI-UPD-org-or-facility
    Examples: The organisation or facility on the record is required
      | change                            | message                                            |
      | organization and location removed | hpi-organization-id or hpi-facility-id is required |

    @rule:HPI-UPD-code-required
    Examples: The role code on the record is required (message as published, misspelt: D-HPI-06)
      | change       | message                       |
      | code removed | PractitionerRole code requird |

  # The update page spells the message with a small p; the add page, to which
  # the update page points for the period end-date rules, with a capital P.
  # Both are documented for an update (docs/spec-defects.md, D-HPI-07).
  @rule:HPI-UPD-end-needs-reason @source:hpi/add-practitionerrole.md
  Scenario: An end date without a status reason is refused, with either published spelling of the message
    When the system updates the role, with period.end set to "2030-06-30"
    Then the response status is 422 Unprocessable Entity
    And the OperationOutcome has one of the issues:
      | severity | code       | message                                    |
      | error    | processing | practitionerRole-status-reason is required |
      | error    | processing | PractitionerRole-status-reason is required |
    And the role is unchanged

  # The page gives no message for this rule; 422 is FHIR R4's status for a
  # resource that breaks the server's rules (docs/spec-defects.md, D-HPI-12).
  @rule:HPI-UPD-only-contact-address-end @source:fhir-r4/http.html#3.1.0.4
  Scenario Outline: An update may not change anything but contact points, messaging address and end date
    When the system updates the role, with <change>
    Then the response status is 422 Unprocessable Entity
    And the answer is an OperationOutcome with an error
    And the role is unchanged

    # Every element of the profile the client sends and the HPI keeps, but
    # contact points, messaging address and end date (D-HPI-48).
    Examples:
      | change                                                | why                                           |
      | code set to a different role code                     | the role code is not among what may change    |
      | period.start set to "2019-01-01"                      | only the end of the period may change         |
      | period.start removed                                  | only the end of the period may change         |
      | organization.reference set to "Organization/G00001-G" | the organisation is not among what may change |
      | organization removed                                  | the organisation the record has stays         |
      | location set to [{"reference": "Location/FZZ000-Z"}]  | the facility is not among what may change     |
      | location removed                                      | the facility the record has stays             |

  # What the server owns, or may ignore, an update can not modify either: the
  # server may refuse the change or keep what the role had (D-HPI-48).
  @rule:HPI-UPD-only-contact-address-end
  Scenario Outline: An update does not change what the HPI owns or the role's own resource elements
    When the system updates the role, with <change>
    Then the role's <element> is as it was

    Examples:
      | change                                                                            | element           |
      | identifier.0.value set to "R99999999-Z"                                           | identifier        |
      | active set to false                                                               | active            |
      | extension set to a creator extension naming another person                        | creator           |
      | implicitRules set to "http://example.org/rules"                                   | implicitRules     |
      | language set to "mi"                                                              | language          |
      | contained set to [{"resourceType": "Organization", "id": "o1", "name": "Other"}]  | contained         |
      | modifierExtension set to [{"url": "http://example.org/fhir/x", "valueBoolean": true}] | modifierExtension |

  # No page gives this refusal a status (docs/spec-defects.md, D-HPI-23).
  @rule:HPI-UPD-valid-id
  Scenario: An update of a role the HPI never issued changes nothing
    When the system sends the update to the role id "R99999999-Z"
    Then the request is refused with a 4xx status
    And the role is unchanged
