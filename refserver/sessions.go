package refserver

import (
	"crypto/rand"
	"fmt"
	"sync"
)

// Permission is an e-RS ProfessionalPermission (models.md).
type Permission struct {
	BusinessFunction string `json:"businessFunction"`
	OrgIdentifier    string `json:"orgIdentifier"`
	OrgName          string `json:"orgName"`
}

// SessionUser is an e-RS ProfessionalSessionUser (models.md).
type SessionUser struct {
	Identifier  string       `json:"identifier"`
	FirstName   string       `json:"firstName"`
	LastName    string       `json:"lastName"`
	MiddleName  *string      `json:"middleName"`
	Permissions []Permission `json:"permissions"`
}

// Session is an e-RS ProfessionalSession resource (models.md).
type Session struct {
	TypeInfo   string      `json:"typeInfo,omitempty"`
	ID         string      `json:"id"`
	Token      string      `json:"token"`
	User       SessionUser `json:"user"`
	Permission *Permission `json:"permission"`
}

// holding returns the user's permission with p's business function at p's organisation, if any.
func (u SessionUser) holding(p Permission) *Permission {
	for _, held := range u.Permissions {
		if held.BusinessFunction == p.BusinessFunction && held.OrgIdentifier == p.OrgIdentifier {
			return &held
		}
	}
	return nil
}

// apply selects the permission asked for: the one the user holds. Only with
// a rule switched off does another get here; then it is taken as asked, and
// with none asked, the user's first permission is selected.
func (s *Session) apply(asked *Permission) {
	if asked == nil {
		s.Permission = &s.User.Permissions[0]
		return
	}
	if held := s.User.holding(*asked); held != nil {
		s.Permission = held
		return
	}
	copied := *asked
	s.Permission = &copied
}

const sessionTypeInfo = "uk.nhs.ers.xapi.dto.v1.session.ProfessionalSession"

// sessionStore keeps professional sessions; it is safe for concurrent use.
// A closed session is kept (marked closed) so that its key can be answered
// with 410 Gone, as error-messages.md describes for deleted data.
type sessionStore struct {
	mu       sync.Mutex
	sessions map[string]*storedSession
}

type storedSession struct {
	session Session
	closed  bool
}

func newSessionStore() *sessionStore {
	return &sessionStore{sessions: map[string]*storedSession{}}
}

// maxSessions (a variable for the tests) bounds the sessions kept, open or
// closed: when the store is full, the closed ones are forgotten (their keys
// then answer as never issued), and a create beyond it, all open, is refused.
var maxSessions = 100_000

// create opens a session for the user and returns a copy of it; false when
// maxSessions sessions are open.
func (s *sessionStore) create(token string, user SessionUser) (Session, bool) {
	sess := Session{TypeInfo: sessionTypeInfo, ID: newSessionKey(), Token: token, User: user}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= maxSessions {
		for k, old := range s.sessions { // once each time the store fills, not on each create
			if old.closed {
				delete(s.sessions, k)
			}
		}
		if len(s.sessions) >= maxSessions {
			return Session{}, false
		}
	}
	s.sessions[sess.ID] = &storedSession{session: sess}
	return sess, true
}

// with runs fn, under the store's lock, on the session key names: nil when
// the key was never issued. Rules and the change they allow cannot race.
func (s *sessionStore) with(key string, fn func(*storedSession) *problem) *problem {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.sessions[key])
}

// close closes the session of key, if there is one (for a shape mutant only).
func (s *sessionStore) close(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.sessions[key]; ok {
		stored.closed = true
	}
}

// rekey moves the session of key from to key to (for a shape mutant only).
func (s *sessionStore) rekey(from, to string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.sessions[from]; ok {
		delete(s.sessions, from)
		stored.session.ID = to
		s.sessions[to] = stored
	}
}

// reopen undoes a close (for a shape mutant only).
func (s *sessionStore) reopen(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.sessions[key]; ok {
		stored.closed = false
	}
}

// newSessionKey makes a key in the published form pro-xapi-session_<uuid>.
func newSessionKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("pro-xapi-session_%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
