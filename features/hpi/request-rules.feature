@hpi @source:hpi/general-request-rules.md
Feature: Rules every HPI request obeys
  Every request names the person who initiated it (the userid header),
  carries an OAuth2 access token from the client credentials flow, and the
  API key issued with those credentials. A request without them is refused
  and changes nothing. A correlation id sent by the system comes back, so
  calls can be traced.

  @rule:HPI-REQ-userid-required
  Scenario: An update without the userid header is refused as unauthenticated
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role's contact points without the userid header
    Then the response status is 401 Unauthorized
    And the OperationOutcome's message is "Authentication: missing userid header"
    And the role is unchanged

  @rule:HPI-REQ-userid-required
  Scenario: A read without the userid header is refused as unauthenticated
    Given the system has created a PractitionerRole
    When the system reads the role without the userid header
    Then the response status is 401 Unauthorized
    And the OperationOutcome's message is "Authentication: missing userid header"

  @rule:HPI-REQ-access-token
  Scenario Outline: An update without a valid access token is refused as unauthorised
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role's contact points <credentials>
    Then the response status is 401 Unauthorized
    And the role is unchanged

    Examples:
      | credentials                                        | why                                          |
      | without the Authorization header                   | the OAuth2 access token is mandatory         |
      | with an access token the token endpoint never issued | only a token from the token endpoint counts |

  @rule:HPI-REQ-api-key
  Scenario: An update without the API key is forbidden
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role's contact points without the x-api-key header
    Then the response status is 403 Forbidden
    And the role is unchanged

  @rule:HPI-SEC-write-scope
  Scenario: A token granted only the read scope cannot update a role
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system updates the role's contact points with a token granted only the read-only scopes
    Then the request is refused with one of the documented statuses 401 or 403
    And the role is unchanged

  @rule:HPI-REQ-correlation-id
  Scenario Outline: The X-Correlation-Id a system sends is returned
    Given the system has created a PractitionerRole
    And the system has read the role's current version
    When the system <request>
    Then the response carries the X-Correlation-Id the system sent

    Examples:
      | request                                                  | why                              |
      | reads the role                                           | returned on a read               |
      | updates the role's contact points                        | returned on an update            |
      | updates the role's contact points without the userid header | returned on a refusal too     |
