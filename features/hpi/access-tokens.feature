@hpi @source:hpi/general-request-rules.md
Feature: Access tokens come from the OAuth2 client credentials flow
  The HPI authenticates and authorises a system with the OAuth2 Client
  Credentials flow: the system proves who it is with the client id and
  secret it was issued, and only then gets an access token.

  @rule:HPI-SEC-client-credentials
  Scenario: No access token is granted for a client secret the HPI never issued
    When the system asks the token endpoint for an access token with a client secret it was never issued
    Then no access token is granted
