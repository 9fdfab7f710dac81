@hpi @source:hpi/add-practitionerrole.md @source:hpi/update-practitionerrole.md
Feature: Update a PractitionerRole: period and contact rules
  The update page points to the add page for the rules on the period end
  date and on contact points. The add page gives each error's message but
  not its status, severity or code, so a refusal here is any 4xx answer
  carrying the documented message (docs/spec-defects.md, D-HPI-08).

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-PERIOD-date-format
  Scenario Outline: A period end date not written YYYY-MM-DD is refused
    When the system ends the role on "<date>" with a status reason
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                        |
      | Period is not valid; format must be yyyy-mm-dd |
    And the role is unchanged

    # Each part of YYYY-MM-DD, and the FHIR dates that are not YYYY-MM-DD
    # (docs/spec-defects.md, D-HPI-46).
    Examples:
      | date                      | why                                            |
      | 2030/06/30                | slashes, not hyphens                           |
      | 30-06-2030                | day first                                      |
      | 30-06-30                  | the year is not four digits                    |
      | 2030-6-30                 | the month is not two digits                    |
      | 2030-06-5                 | the day is not two digits                      |
      | 2030-13-01                | not a month of the year                        |
      | 2030-02-30                | not a day of the calendar                      |
      | 2030-06                   | a year and month: a FHIR date, not YYYY-MM-DD  |
      | 2030-06-30T09:00:00+12:00 | a time too: a FHIR dateTime, not YYYY-MM-DD    |

  @rule:HPI-PERIOD-start-not-after-end
  Scenario: An end date before the start date is refused
    When the system ends the role on the day before it started, with a status reason
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                   |
      | Period start date must be less than, or equal to end date |
    And the role is unchanged

  @rule:HPI-PERIOD-start-not-after-end
  Scenario: An end date on the start date is accepted
    When the system ends the role on the day it started, with a status reason
    Then the response status is 200 OK

  @rule:HPI-CONTACT-no-duplicate
  Scenario: A contact point that duplicates another on the role is refused
    When the system adds a copy of the role's first contact point, with rank 9
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                                     |
      | The contact point you are creating is a duplicate of another on this record |
    And the role is unchanged

  @rule:HPI-CONTACT-mobile-format
  Scenario Outline: A mobile number that is not an E.164 number is refused
    When the system adds the mobile number "<number>"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                            |
      | The mobile phone format is invalid |
    And the role is unchanged

    Examples:
      | number           | why                                  |
      | 64-21-555-0101   | hyphens between the components       |
      | (64) 21 5550101  | brackets around the country code     |
      | 64 21 555 O1O1   | letters where digits belong          |
      | 021 555 0101     | no country code: the national form   |
      | 6421555010123456 | sixteen digits: E.164 allows fifteen |

  @rule:HPI-CONTACT-mobile-format
  Scenario Outline: A mobile number written as E.164 digits is accepted
    When the system adds the mobile number "<number>"
    Then the response status is 200 OK

    Examples:
      | number          | why                                      |
      | 64215550101     | country, network and subscriber digits   |
      | 64 21 5550101   | the same, entered as separate components |
      | 642155501012345 | fifteen digits, the most E.164 allows    |

  @rule:HPI-CONTACT-email-format
  Scenario Outline: An email address not of the form local-part@domain-part is refused
    When the system adds the contact point "email" "<address>" with rank 3
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |
    And the role is unchanged

    Examples:
      | address               | why            |
      | reception.example.org | no @           |
      | @example.org          | no local part  |
      | reception@            | no domain part |

  @rule:HPI-CONTACT-email-format
  Scenario: An email address longer than 256 characters is refused
    When the system adds an email address of 257 characters
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |
    And the role is unchanged

  # The page counts characters, not bytes (docs/spec-defects.md, D-HPI-47).
  @rule:HPI-CONTACT-email-format
  Scenario Outline: An email address of 256 characters is accepted
    When the system adds an email address of 256 characters, its local part written with "<character>"
    Then the response status is 200 OK

    Examples:
      | character | why                                             |
      | a         | one byte a character                            |
      | ā         | two bytes a character: 256 characters, 500 bytes |

  @rule:HPI-CONTACT-email-format
  Scenario: An email address may contain any UTF-8 characters
    When the system adds the contact point "email" "kaiāwhina.rōpū@hauora.example.nz" with rank 3
    Then the response status is 200 OK

  # Every class of control character: C0, DEL and C1 (D-HPI-47).
  @rule:HPI-CONTACT-email-format
  Scenario Outline: An email address with a control character is refused
    When the system adds an email address with the control character <character> in its local part
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |
    And the role is unchanged

    Examples:
      | character | why                          |
      | U+0007    | a C0 control (bell)          |
      | U+007F    | DEL                          |
      | U+0085    | a C1 control (next line)     |

  @rule:HPI-CONTACT-period-format
  Scenario Outline: A contact period not written YYYY-MM-DD is refused
    When the system gives the role's first contact point the period "<start>" to "<end>"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                              |
      | Contact period is invalid; format must be yyyy-mm-dd |
    And the role is unchanged

    Examples:
      | start      | end                  | why                                  |
      | 2020/01/01 | 2030-12-31           | the start with slashes               |
      | 2020-01-01 | 2030-12-31T17:00:00Z | the end with a time: a FHIR dateTime |
      | 2020-01    | 2030-12-31           | the start a year and month           |
      | 2020-01-01 | 2030-13-31           | the end not a month of the year      |

  @rule:HPI-CONTACT-period-order
  Scenario: A contact period that ends before it starts is refused
    When the system gives the role's first contact point the period "2030-12-31" to "2020-01-01"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                                                 |
      | Contact period start date must be less than or equal to a contact point period end date |
    And the role is unchanged

  @rule:HPI-CONTACT-period-order
  Scenario: A contact period that starts and ends on one day is accepted
    When the system gives the role's first contact point the period "2030-06-30" to "2030-06-30"
    Then the response status is 200 OK

  @rule:HPI-CONTACT-rank
  Scenario Outline: Ranks must be unique, and none above 1
    When the system adds the contact point "email" "reception@example.org" with rank <rank>
    Then the request is refused with a 4xx status
    And the answer is an OperationOutcome with an error
    And the role is unchanged

    Examples:
      | rank | why                                               |
      | 0    | rank 0 is invalid                                 |
      | -1   | 1 is the highest rank                             |
      | 1    | the role's first contact point already has rank 1 |

  @rule:HPI-CONTACT-rank
  Scenario: Gaps in the rank sequence are allowed
    When the system adds the contact point "email" "reception@example.org" with rank 7
    Then the response status is 200 OK

  @rule:HPI-CONTACT-rank-assigned
  Scenario: A contact point added without a rank is given the next lowest rank
    When the system adds the contact point "email" "reception@example.org" without a rank
    Then the response status is 200 OK
    And reading the role shows the new contact point with the next lowest rank
