package harness

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/healthapi-conformance/conformance/api/ers"
	"github.com/healthapi-conformance/conformance/api/hpi"
	"github.com/healthapi-conformance/conformance/httpkit/exchange"
	"github.com/healthapi-conformance/conformance/httpkit/redact"
	"github.com/healthapi-conformance/conformance/profile"
	"github.com/healthapi-conformance/conformance/steps"
)

// newEnv connects to each API the profile describes, and checks that each
// API the run selects answers HTTP at all before any scenario runs. The
// pre-flight (preflight.go) then proves the credentials. onWait hears of
// each wait for the HPI usage plan or a 429 (exchange.Policy.OnWait).
func newEnv(ctx context.Context, prof *profile.Profile, target string, sel selection, red *redact.Redactor, onWait func(time.Duration, string)) (*steps.Env, error) {
	env := &steps.Env{Profile: prof, Redactor: red}
	var err error
	if prof.ERS != nil {
		if env.ERS, err = connectERS(ctx, prof, target, sel.ers > 0, red); err != nil {
			return nil, err
		}
	}
	if prof.HPI != nil {
		if env.HPI, err = connectHPI(ctx, prof, target, sel.hpi > 0, red, onWait); err != nil {
			return nil, err
		}
		env.StartRoleNumbers(rand.Int64N(1 << 20)) // repeated runs against one target use other test IDs first
	}
	return env, nil
}

func connectERS(ctx context.Context, prof *profile.Profile, target string, probe bool, red *redact.Redactor) (*ers.Client, error) {
	c := exchange.NewPacedClient(prof.Timeout.Std(), red, exchange.Policy{TLS: prof.TLSConfig()})
	cfg := ers.ProfileConfig(prof, target)
	client := ers.New(c, cfg, red)
	if !probe {
		return client, nil
	}
	if err := c.Probe(ctx, cfg.Base+"/v1/ProfessionalSession"); err != nil {
		return nil, fmt.Errorf("the e-RS API of %s cannot be used: %w", target, red.Error(err))
	}
	return client, nil
}

func connectHPI(ctx context.Context, prof *profile.Profile, target string, probe bool, red *redact.Redactor, onWait func(time.Duration, string)) (*hpi.Client, error) {
	h := prof.HPI
	c := exchange.NewPacedClient(prof.Timeout.Std(), red, exchange.Policy{
		Rate: h.Pacing.PerSecond, Burst: h.Pacing.Burst,
		MaxRetries: h.Retry.Max, Initial: h.Retry.Initial.Std(), MaxWait: h.Retry.MaxWait.Std(),
		TLS: prof.TLSConfig(), OnWait: onWait,
	})
	tokens := hpi.ProfileTokens(prof, target, red)
	cfg := hpi.ProfileConfig(prof, target)
	client := hpi.New(c, tokens, cfg)
	if !probe {
		return client, nil
	}
	if err := c.Probe(ctx, cfg.Base+"/metadata"); err != nil {
		return nil, fmt.Errorf("the HPI API of %s cannot be used: %w", target, red.Error(err))
	}
	return client, nil // the pre-flight asks for tokens, naming the profile key at fault
}
