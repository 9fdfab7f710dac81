@hpi @source:hpi/general-request-rules.md
Feature: Rules every HPI request obeys
  Every request names the person who initiated it (the userid header),
  carries an OAuth2 access token from the client credentials flow, and the
  API key issued with those credentials: a read, an add and an update
  alike. A request without them is refused and changes nothing. A
  correlation id sent by the system comes back, so calls can be traced.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-REQ-userid-required
  Scenario Outline: A request without the userid header is refused as unauthenticated
    When the system <request> without the userid header
    Then the response status is 401 Unauthorized
    And the OperationOutcome has the issue:
      | severity | code       | message                               |
      | error    | processing | Authentication: missing userid header |
    And the role is unchanged

    Examples:
      | request                           | why          |
      | reads the role                    | on a read    |
      | adds a PractitionerRole           | on an add    |
      | updates the role's contact points | on an update |

  @rule:HPI-REQ-access-token
  Scenario Outline: A request without a valid access token is refused as unauthorised
    When the system <request> <token>
    Then the response status is 401 Unauthorized
    And the role is unchanged

    Examples:
      | request                           | token                                                | why                             |
      | reads the role                    | without the Authorization header                     | no token, on a read             |
      | adds a PractitionerRole           | without the Authorization header                     | no token, on an add             |
      | updates the role's contact points | without the Authorization header                     | no token, on an update          |
      | reads the role                    | with an access token the token endpoint never issued | a token not issued, on a read   |
      | adds a PractitionerRole           | with an access token the token endpoint never issued | a token not issued, on an add   |
      | updates the role's contact points | with an access token the token endpoint never issued | a token not issued, on an update |

  @rule:HPI-REQ-api-key
  Scenario Outline: A request without the API key is forbidden
    When the system <request> without the x-api-key header
    Then the response status is 403 Forbidden
    And the role is unchanged

    Examples:
      | request                           | why          |
      | reads the role                    | on a read    |
      | adds a PractitionerRole           | on an add    |
      | updates the role's contact points | on an update |

  # The page documents the error for no key; for a key it never issued, the
  # status is undocumented (D-HPI-05).
  @rule:HPI-REQ-api-key-issued
  Scenario Outline: A request with an API key the HPI never issued is refused
    When the system <request> with an API key the HPI never issued
    Then the request is refused with one of the documented statuses 401 or 403
    And the role is unchanged

    Examples:
      | request                           | why          |
      | reads the role                    | on a read    |
      | adds a PractitionerRole           | on an add    |
      | updates the role's contact points | on an update |

  # Each scope as the page's table names it, below https://api.hip.digital.health.nz/fhir/,
  # in its version 1 and its SMART on FHIR spelling. A target whose client
  # may not be granted a scope leaves its row not judged.
  @rule:HPI-SEC-scope-grants
  Scenario Outline: A token granted only one documented scope can do what the scope opens
    When the system <request> with a token granted only the scope "<scope>"
    Then the request is served, not refused

    Examples:
      | request                           | scope                     | why                                    |
      | reads the role                    | pracrole:read             | read access                            |
      | reads the role                    | system/PractitionerRole.r | read access, as SMART on FHIR names it |
      | adds a PractitionerRole           | pracrole:write            | write access                           |
      | adds a PractitionerRole           | system/PractitionerRole.c | create, as SMART on FHIR names it      |
      | updates the role's contact points | pracrole:write            | write access                           |
      | updates the role's contact points | system/PractitionerRole.u | update, as SMART on FHIR names it      |

  # The page gives no status for a scope the token lacks (D-HPI-05).
  @rule:HPI-SEC-write-scope
  Scenario Outline: A token granted only the read scope can neither add nor update a role
    When the system <request> with a token granted only the read-only scopes
    Then the request is refused with one of the documented statuses 401 or 403
    And the role is unchanged

    Examples:
      | request                           | why                                   |
      | adds a PractitionerRole           | an add needs the write scope          |
      | updates the role's contact points | an update needs the write scope       |

  @rule:HPI-REQ-correlation-id @compliance:Security-4
  Scenario Outline: The X-Correlation-Id a system sends is returned
    When the system <request>
    Then the response carries the X-Correlation-Id the system sent

    Examples:
      | request                                                     | why                      |
      | reads the role                                              | on a read                |
      | adds a PractitionerRole                                     | on an add                |
      | updates the role's contact points                           | on an update             |
      | updates the role's contact points without the userid header | on a refusal, as well    |
