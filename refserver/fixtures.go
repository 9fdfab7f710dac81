package refserver

import (
	"encoding/json"
	"fmt"

	"github.com/healthapi-conformance/conformance/fixtures"
)

// SmartcardUser is one fixture user: a smartcard token and who it signs in.
type SmartcardUser struct {
	Token string      `json:"token"`
	User  SessionUser `json:"user"`
}

// FixtureUsers returns the smartcard users the server is seeded with.
func FixtureUsers() ([]SmartcardUser, error) {
	var list []SmartcardUser
	return list, readFixture("ers/users.json", &list)
}

// HPISeed is the HPI data the server starts with.
type HPISeed struct {
	Practitioners []string   `json:"practitioners"`
	Organisations []string   `json:"organisations"`
	Facilities    []string   `json:"facilities"`
	Roles         []resource `json:"roles"`
}

// FixtureHPISeed returns the HPI seed data.
func FixtureHPISeed() (HPISeed, error) {
	var seed HPISeed
	return seed, readFixture("hpi/seed.json", &seed)
}

// FixtureClients returns the HPI clients the server is seeded with.
func FixtureClients() ([]HPIClient, error) {
	var list []HPIClient
	return list, readFixture("hpi/clients.json", &list)
}

func readFixture(path string, v any) error {
	data, err := fixtures.FS.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return fmt.Errorf("fixtures/%s: %w", path, err)
	}
	return nil
}
