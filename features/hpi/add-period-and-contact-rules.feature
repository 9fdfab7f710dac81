@hpi @source:hpi/add-practitionerrole.md
Feature: Add a PractitionerRole: period and contact rules
  The add page defines the rules on a role's period and contact points,
  and the update page points to them for updates. Here they are checked on
  an add, where they are defined. As on an update, the page gives each
  error's message but not its status, severity or code, so a refusal is any
  4xx answer carrying the documented message (docs/spec-defects.md, D-HPI-08).

  # Each part of YYYY-MM-DD, and the FHIR dates that are not YYYY-MM-DD
  # (docs/spec-defects.md, D-HPI-46).
  @rule:HPI-PERIOD-date-format
  Scenario Outline: A period start not written YYYY-MM-DD is refused
    When the system adds a PractitionerRole starting on "<date>"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                        |
      | Period is not valid; format must be yyyy-mm-dd |

    Examples:
      | date                      | why                                          |
      | 2020/01/01                | slashes, not hyphens                         |
      | 01-01-2020                | day first                                    |
      | 20-01-01                  | the year is not four digits                  |
      | 2020-1-01                 | the month is not two digits                  |
      | 2020-01-1                 | the day is not two digits                    |
      | 2020-13-01                | not a month of the year                      |
      | 2020-02-30                | not a day of that month                      |
      | 2020                      | a year alone: a FHIR date, not YYYY-MM-DD    |
      | 2020-01                   | a year and month: a FHIR date, not YYYY-MM-DD |
      | 2020-01-01T09:00:00+13:00 | a time too: a FHIR dateTime, not YYYY-MM-DD  |

  @rule:HPI-PERIOD-date-format
  Scenario: A period end not written YYYY-MM-DD is refused
    When the system adds a PractitionerRole from "2020-01-01" to "2030/12/31", with a status reason
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                        |
      | Period is not valid; format must be yyyy-mm-dd |

  @rule:HPI-PERIOD-start-not-after-end
  Scenario: A period that ends before it starts is refused
    When the system adds a PractitionerRole from "2030-01-02" to "2030-01-01", with a status reason
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                   |
      | Period start date must be less than, or equal to end date |

  @rule:HPI-PERIOD-start-not-after-end
  Scenario: A period that starts and ends on one day is accepted
    When the system adds a PractitionerRole from "2030-01-01" to "2030-01-01", with a status reason
    Then the response status is 201 Created

  @rule:HPI-CONTACT-no-duplicate
  Scenario: A role with two identical contact points is refused
    When the system adds a PractitionerRole with a copy of its first contact point, with rank 9
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                                     |
      | The contact point you are creating is a duplicate of another on this record |

  @rule:HPI-CONTACT-mobile-format
  Scenario Outline: A mobile number that is not an E.164 number is refused
    When the system adds a PractitionerRole with the mobile number "<number>"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                            |
      | The mobile phone format is invalid |

    Examples:
      | number           | why                                      |
      | 64-21-555-0101   | punctuation between the components       |
      | 64 21 555 O1O1   | letters where digits belong              |
      | 021 555 0101     | no country code: the national form       |
      | 6421555010123456 | sixteen digits: E.164 allows fifteen     |

  @rule:HPI-CONTACT-mobile-format
  Scenario Outline: A mobile number written as E.164 digits is accepted
    When the system adds a PractitionerRole with the mobile number "<number>"
    Then the response status is 201 Created

    Examples:
      | number          | why                                      |
      | 642155501012345 | fifteen digits, the most E.164 allows    |
      | 64 21 5550101   | entered as separate components           |

  @rule:HPI-CONTACT-email-format
  Scenario Outline: An email address not of the documented format is refused
    When the system adds a PractitionerRole with the contact point "email" "<address>" with rank 3
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |

    Examples:
      | address               | why            |
      | reception.example.org | no @           |
      | @example.org          | no local part  |

  @rule:HPI-CONTACT-email-format
  Scenario: An email address with a control character is refused
    When the system adds a PractitionerRole with an email address with the control character U+0007 in its local part
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |

  @rule:HPI-CONTACT-email-format
  Scenario: An email address longer than 256 characters is refused
    When the system adds a PractitionerRole with an email address of 257 characters
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                     |
      | The email format is invalid |

  @rule:HPI-CONTACT-email-format
  Scenario: An email address of 256 characters is accepted
    When the system adds a PractitionerRole with an email address of 256 characters
    Then the response status is 201 Created

  @rule:HPI-CONTACT-period-format
  Scenario Outline: A contact period not written YYYY-MM-DD is refused
    When the system adds a PractitionerRole whose first contact point has the period "<start>" to "<end>"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                              |
      | Contact period is invalid; format must be yyyy-mm-dd |

    Examples:
      | start      | end        | why                                      |
      | 2020/01/01 | 2030-12-31 | the start with slashes                   |
      | 2020-01-01 | 31-12-2030 | the end day first                        |
      | 2020       | 2030-12-31 | the start a year alone: a FHIR date      |
      | 2020-01-01 | 2030-02-30 | the end not a day of its month           |

  @rule:HPI-CONTACT-period-order
  Scenario: A contact period that ends before it starts is refused
    When the system adds a PractitionerRole whose first contact point has the period "2030-12-31" to "2020-01-01"
    Then the request is refused with a 4xx status
    And the OperationOutcome has the issue:
      | message                                                                                 |
      | Contact period start date must be less than or equal to a contact point period end date |

  @rule:HPI-CONTACT-period-order
  Scenario: A contact period that starts and ends on one day is accepted
    When the system adds a PractitionerRole whose first contact point has the period "2030-06-30" to "2030-06-30"
    Then the response status is 201 Created

  @rule:HPI-CONTACT-rank
  Scenario Outline: Ranks must be unique, and none above 1
    When the system adds a PractitionerRole with the contact point "email" "reception@example.org" with rank <rank>
    Then the request is refused with a 4xx status
    And the answer is an OperationOutcome with an error

    Examples:
      | rank | why                                                  |
      | 0    | rank 0 is invalid                                    |
      | -1   | 1 is the highest rank                                |
      | 1    | the role's first contact point already has rank 1    |

  @rule:HPI-CONTACT-rank
  Scenario: Gaps in the rank sequence are allowed
    When the system adds a PractitionerRole with the contact point "email" "reception@example.org" with rank 7
    Then the response status is 201 Created

  @rule:HPI-CONTACT-rank-assigned
  Scenario: A contact point added without a rank is given the next lowest rank
    When the system adds a PractitionerRole with the contact point "email" "reception@example.org" without a rank
    Then the response status is 201 Created
    And reading the role shows the new contact point with the next lowest rank
