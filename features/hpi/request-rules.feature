@hpi @source:hpi/general-request-rules.md
Feature: Rules every HPI request obeys
  Every request names the person who initiated it (the userid header),
  carries an OAuth2 access token from the client credentials flow, and the
  API key issued with those credentials. A request without them is refused
  and changes nothing. A correlation id sent by the system comes back, so
  calls can be traced.

  Background:
    Given the system has created a PractitionerRole
    And the system has read the role's current version

  @rule:HPI-REQ-userid-required
  Scenario: An update without the userid header is refused as unauthenticated
    When the system updates the role's contact points without the userid header
    Then the response status is 401 Unauthorized
    And the OperationOutcome has the issue:
      | severity | code       | message                               |
      | error    | processing | Authentication: missing userid header |
    And the role is unchanged

  @rule:HPI-REQ-userid-required
  Scenario: A read without the userid header is refused as unauthenticated
    When the system reads the role without the userid header
    Then the response status is 401 Unauthorized
    And the OperationOutcome has the issue:
      | severity | code       | message                               |
      | error    | processing | Authentication: missing userid header |

  @rule:HPI-REQ-access-token
  Scenario: An update without an access token is refused as unauthorised
    When the system updates the role's contact points without the Authorization header
    Then the response status is 401 Unauthorized
    And the role is unchanged

  @rule:HPI-REQ-access-token
  Scenario: An update with an access token the token endpoint never issued is refused as unauthorised
    When the system updates the role's contact points with an access token the token endpoint never issued
    Then the response status is 401 Unauthorized
    And the role is unchanged

  @rule:HPI-REQ-api-key
  Scenario: An update without the API key is forbidden
    When the system updates the role's contact points without the x-api-key header
    Then the response status is 403 Forbidden
    And the role is unchanged

  @rule:HPI-SEC-write-scope
  Scenario: A token granted only the read scope cannot update a role
    When the system updates the role's contact points with a token granted only the read-only scopes
    Then the request is refused with one of the documented statuses 401 or 403
    And the role is unchanged

  @rule:HPI-REQ-correlation-id @compliance:Security-4
  Scenario: The X-Correlation-Id a system sends is returned on a read
    When the system reads the role
    Then the response carries the X-Correlation-Id the system sent

  @rule:HPI-REQ-correlation-id @compliance:Security-4
  Scenario: The X-Correlation-Id a system sends is returned on an update
    When the system updates the role's contact points
    Then the response carries the X-Correlation-Id the system sent

  @rule:HPI-REQ-correlation-id @compliance:Security-4
  Scenario: The X-Correlation-Id a system sends is returned on a refusal
    When the system updates the role's contact points without the userid header
    Then the response carries the X-Correlation-Id the system sent
