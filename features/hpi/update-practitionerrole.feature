@hpi @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: what may change
  An authorised user updates a role's contact details, its messaging
  address (EDI), or ends it with an end date. The system sends the role it
  read, with the new details, and the HPI answers 200 OK.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-UPD-end-date @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Update.1
  Scenario: A role the system created is ended with an end date and a status reason
    When the system ends the role on "2030-06-30" with a status reason
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-contact-points @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Update.2
  Scenario: A contact point can be added
    When the system adds the contact point "email" "reception@example.org" with rank 3
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-contact-points @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Update.3
  Scenario: A contact point can be removed
    When the system removes the role's last contact point
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-contact-points @source:hpi/onboarding-and-compliance-testing.md @compliance:HPI-PR-Update.4
  Scenario: The ranks of contact points can be changed
    When the system swaps the ranks of the role's contact points
    Then the response status is 200 OK
    And reading the role shows what the update sent

  @rule:HPI-UPD-messaging-address
  Scenario: The messaging address can be changed
    When the system sets the role's messaging address to "healthlink" "changed-edi-address"
    Then the response status is 200 OK
    And reading the role shows what the update sent
