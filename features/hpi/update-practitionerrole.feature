@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: what may change
  An authorised user updates a role's contact details, its messaging
  address (EDI), or ends it with an end date. The system sends the role it
  read, with the new details, and the HPI answers 200 OK.

  @rule:HPI-UPD-end-date @source:hpi/onboarding-and-compliance-testing.md
  Scenario: A role the system created is ended with an end date and a status reason
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system ends the role on "2030-06-30" with a status reason
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-contact-points @source:hpi/onboarding-and-compliance-testing.md
  Scenario Outline: Contact points can be changed
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system <change>
    Then the response status is 200 OK
    And reading the role shows what the update sent

    Examples:
      | change                                              | why                                       |
      | adds the contact point "email" "reception@example.org" with rank 3 | compliance test: add a contactpoint |
      | removes the role's last contact point               | compliance test: remove a contactpoint    |
      | swaps the ranks of the role's contact points        | compliance test: update the rank          |

  @rule:HPI-UPD-messaging-address
  Scenario: The messaging address can be changed
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system sets the role's messaging address to "healthlink" "changed-edi-address"
    Then the response status is 200 OK
    And reading the role shows what the update sent
