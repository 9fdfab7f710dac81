@hpi @source:hpi/examples-practitionerRole.fsh
Feature: The published examples are valid requests
  The pages publish two HPI PractitionerRoles and an update request. A
  target accepts each as what it is: the roles as adds, the request as an
  update. The examples name records of the HPI's test environment, so the
  suite sends the profile's test practitioner, organisation, facility and
  role code in their place, and leaves out what the server owns
  (docs/spec-defects.md, D-HPI-43).

  @rule:HPI-EX-valid-add
  Scenario Outline: A published example is added, and reads back as it was sent
    When the system adds the published example "<example>"
    Then the response status is 201 Created
    And reading the new role shows what the system sent

    Examples:
      | example     | why                                       |
      | R00000012-G | the Medical Receptionist, ended in 2010   |
      | R00000013-J | the Specialist Physician, ended in 2010   |

  @rule:HPI-EX-valid-add
  Scenario Outline: A published example, which has ended, is not active
    When the system adds the published example "<example>"
    Then the new role, if it says whether it is active, says it is not

    Examples:
      | example     |
      | R00000012-G |
      | R00000013-J |

  # The example's contact periods run past the role's end (D-HPI-20): no rule
  # forbids it, and the example is a valid update.
  @rule:HPI-UPD-published-example @source:hpi/update-practitionerrole.md
  Scenario: The published update request ends the role and changes its contact details
    Given the system has created a PractitionerRole that started on "2000-02-10"
    And the system has read the role's current version
    When the system sends the published update example
    Then the response status is 200 OK
    And reading the role shows what the update sent
