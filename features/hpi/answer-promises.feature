@hpi @source:hpi/general-request-rules.md
Feature: What every HPI answer promises
  The general page says what an answer carries whatever the operation:
  JSON, the only representation the HPI supports; an X-Request-Id that
  identifies the request; and resources whose id is the value of their
  official identifier, with references rather than contained resources.
  Refusals carry an OperationOutcome in one of the two documented formats.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  # A +json type such as application/fhir+json is JSON too (RFC 6839).
  @rule:HPI-REP-json-answers
  Scenario Outline: Answers are JSON
    When the system <request>
    Then the answer's body, if it has one, is declared as JSON

    Examples:
      | request                                  | why          |
      | reads the role                           | a read       |
      | adds a PractitionerRole                  | an add       |
      | updates the role's contact points        | an update    |
      | reads the role without the userid header | a refusal    |

  # The page gives this refusal no status (D-HPI-24).
  @rule:HPI-REP-json-requests
  Scenario Outline: A body declared in a format other than JSON is refused
    When the system <request>, declaring the body as "<media type>"
    Then the request is refused with a 4xx status
    And the role is unchanged

    Examples:
      | request                           | media type           | why                          |
      | adds a PractitionerRole           | application/xml      | an add declared as XML       |
      | updates the role's contact points | application/fhir+xml | an update declared as FHIR XML |

  @rule:HPI-RES-request-id
  Scenario Outline: Every answer carries an X-Request-Id of its own
    When the system <request>
    Then the answer carries an X-Request-Id that no earlier answer carried

    Examples:
      | request                                  | why          |
      | reads the role                           | a read       |
      | adds a PractitionerRole                  | an add       |
      | updates the role's contact points        | an update    |
      | reads the role without the userid header | a refusal    |

  @rule:HPI-ID-official-identifier
  Scenario Outline: A role has one official identifier, and its id is that identifier's value
    When the system <request>
    Then the role in the answer, if it carries one, has exactly one official identifier, whose value is its id

    Examples:
      | request                           | why                                        |
      | reads the role                    | the role read                              |
      | adds a PractitionerRole           | the role added, when the answer carries it |
      | updates the role's contact points | the role updated, when the answer carries it |

  @rule:HPI-REF-not-contained
  Scenario Outline: A role is answered with references to the resources it names, not the resources
    When the system <request>
    Then the role in the answer, if it carries one, contains no resources, only references to them

    Examples:
      | request                           | why                                          |
      | reads the role                    | the role read                                |
      | adds a PractitionerRole           | the role added, when the answer carries it   |
      | updates the role's contact points | the role updated, when the answer carries it |

  @rule:HPI-ERR-outcome-format
  Scenario: An out-of-date update is refused in the general page's coded error format
    Given another user has since updated the role
    When the system updates the role's contact points with the version it read
    Then the answer is an OperationOutcome in one of the general page's error formats
    And every issue of the OperationOutcome has severity "error" and code "processing"

  @rule:HPI-ERR-outcome-format
  Scenario: A refusal for a missing userid is in one of the general page's error formats
    When the system reads the role without the userid header
    Then the answer is an OperationOutcome in one of the general page's error formats
