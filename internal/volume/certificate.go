package volume

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"portal/internal/application"
	"portal/internal/certificate"
	"portal/internal/mail"
	"portal/internal/pref"
)

// certApp is a generated 電子証明書発行申請 (one 申込番号); certApps[i] has id i+1.
type certApp struct {
	account   int // index in accounts
	created   time.Time
	reference string
	reqs      []certificate.Request
}

// cert is one certificate; certs[i] has id i+1.
type cert struct {
	app       int // index in certApps
	req       certificate.Request
	status    string
	issued    time.Time
	revokeReq time.Time
	revoked   time.Time
	cancelled time.Time
	updated   time.Time
}

// How the certificates stand: most facilities whose 利用申請 was approved applied, some a
// second time for more PCs; an operator issues most within days; a few are cancelled
// before that, a few revoked later (most on the facility's request).
const (
	certApplyShare      = 0.8
	certSecondShare     = 0.25
	certCancelledShare  = 0.04
	certIssuedShare     = 0.9
	certRevokeAskShare  = 0.04
	certRevokedShare    = 0.6
	certOpRevokeShare   = 0.01
	certNameBaseDefault = "受付"
)

// certNames are what facilities call their PCs, by use.
var certNames = map[string][]string{
	"資格確認端末":   {"受付", "受付窓口", "総合受付", "外来受付"},
	"閲覧用端末":    {"診察室", "処置室", "病棟ナースステーション", "調剤室"},
	"オンライン請求用": {"事務室", "医事課", "レセコン端末"},
}

func fillCertificates(ctx context.Context, tx pgx.Tx, g *gen) error {
	for _, q := range g.quals {
		if q.approved.IsZero() || !g.chance(certApplyShare) {
			continue
		}
		first := q.approved.Add(time.Duration(1+g.rng.IntN(30*24)) * time.Hour)
		if first.After(g.now) {
			continue
		}
		g.certApps = append(g.certApps, certApp{account: q.account, created: first})
		if g.chance(certSecondShare) {
			if second := first.Add(time.Duration(7+g.rng.IntN(120)) * 24 * time.Hour); second.Before(g.now) {
				g.certApps = append(g.certApps, certApp{account: q.account, created: second})
			}
		}
	}
	slices.SortFunc(g.certApps, func(a, b certApp) int { return a.created.Compare(b.created) })
	used := map[int]int{} // PCs named so far per account, so each name is the facility's own
	for i := range g.certApps {
		if err := g.certLife(i, used); err != nil {
			return err
		}
	}
	err := g.copyRows(ctx, tx, "certificate_applications", []string{"reference", "facility_id", "account_id", "created_at"},
		len(g.certApps), func(i int) ([]any, error) {
			a := g.certApps[i]
			return []any{a.reference, g.accounts[a.account].facility + 1, a.account + 1, a.created}, nil
		})
	if err != nil {
		return err
	}
	if err := checkIdentities(ctx, tx, "certificate_applications", len(g.certApps)); err != nil {
		return err
	}
	if err := setSequence(ctx, tx, certificate.Kind, len(g.certApps)); err != nil {
		return err
	}
	return g.copyRows(ctx, tx, "certificates",
		[]string{"application_id", "facility_id", "purpose", "name", "status", "requested_at", "issued_at", "revoke_requested_at",
			"revoked_at", "cancelled_at", "updated_at"},
		len(g.certs), func(i int) ([]any, error) {
			c := g.certs[i]
			a := g.certApps[c.app]
			return []any{c.app + 1, g.accounts[a.account].facility + 1, c.req.Purpose, c.req.Name, c.status, a.created,
				nullTime(c.issued), nullTime(c.revokeReq), nullTime(c.revoked), nullTime(c.cancelled), c.updated}, nil
		})
}

// certRequests are the PCs application i asks for: a hospital's several, a clinic's or
// pharmacy's one or two, each named apart from the facility's earlier ones.
func (g *gen) certRequests(kind string, used map[int]int, ai int) []certificate.Request {
	n := 1
	switch {
	case kind == pref.KindHospital:
		n = 2 + g.rng.IntN(4)
	case g.chance(0.3):
		n = 2
	}
	reqs := make([]certificate.Request, n)
	for j := range reqs {
		purpose := certificate.Purposes[0]
		if j > 0 {
			purpose = pick(g, certificate.Purposes)
		}
		used[ai]++
		reqs[j] = certificate.Request{Purpose: purpose, Name: fmt.Sprintf("%s%d", pick(g, certNames[purpose]), used[ai])}
	}
	return reqs
}

// certLife records application i (its certificates' 申請 and its receipt mail) and what
// became of each certificate, each step checked against the kind's transitions.
func (g *gen) certLife(i int, used map[int]int) error {
	a := &g.certApps[i]
	acc := g.accounts[a.account]
	f := g.facilities[acc.facility]
	fid, aid := int64(acc.facility+1), int64(a.account+1)
	a.reference = reference(certificate.Kind, a.created, i+1)
	a.reqs = g.certRequests(f.kind, used, a.account)
	g.accountMail(a.created, "certificate_applied", a.account, mail.ApplicationNotice{FacilityName: f.name,
		ReferenceNumber: a.reference, Details: certificate.Describe(a.reqs), BaseURL: baseURL})
	for _, r := range a.reqs {
		c := cert{app: i, req: r}
		id := int64(len(g.certs) + 1)
		status := application.None
		step := func(at time.Time, by application.Actor, actor int64, action, template string) error {
			to, err := checkStep(certificate.Kind, status, action, by)
			if err != nil {
				return err
			}
			status, c.status, c.updated = to, to, at
			g.addEvent(event{kind: certificate.Kind, app: int64(i + 1), facility: fid, reference: a.reference, at: at, by: by,
				actorID: actor, action: action, detail: r.Label()})
			if template != "" {
				g.accountMail(at, template, a.account, mail.ApplicationNotice{FacilityName: f.name, ReferenceNumber: a.reference,
					Details: []string{r.Label()}, BaseURL: baseURL})
			}
			if by == application.ByOperator {
				audit := map[string]string{certificate.ActionIssue: certificate.AuditIssue, certificate.ActionRevoke: certificate.AuditRevoke}[action]
				g.record(at, actor, audit, "certificate", id, map[string]any{"reference": a.reference, "name": r.Name})
			}
			return nil
		}
		if err := step(a.created, application.ByFacility, aid, certificate.ActionApply, ""); err != nil {
			return err
		}
		after := func(t time.Time, minH, spanH int) time.Time {
			return t.Add(time.Duration(minH+g.rng.IntN(spanH)) * time.Hour)
		}
		var err error
		switch {
		case g.chance(certCancelledShare):
			if t := after(a.created, 1, 72); t.Before(g.now) {
				c.cancelled = t
				err = step(t, application.ByFacility, aid, certificate.ActionCancel, "certificate_cancelled")
			}
		case g.chance(certIssuedShare):
			t := after(a.created, 72, 7*24)
			if t.After(g.now) {
				break
			}
			c.issued = t
			if err = step(t, application.ByOperator, g.pickOp(), certificate.ActionIssue, "certificate_issued"); err != nil {
				break
			}
			switch r := g.rng.Float64(); {
			case r < certRevokeAskShare:
				if t := after(c.issued, 30*24, 270*24); t.Before(g.now) {
					c.revokeReq = t
					if err = step(t, application.ByFacility, aid, certificate.ActionRequestRevoke, "certificate_revoke_requested"); err != nil {
						break
					}
					if t := after(t, 24, 5*24); t.Before(g.now) && g.chance(certRevokedShare) {
						c.revoked = t
						err = step(t, application.ByOperator, g.pickOp(), certificate.ActionRevoke, "certificate_revoked")
					}
				}
			case r < certRevokeAskShare+certOpRevokeShare:
				if t := after(c.issued, 30*24, 270*24); t.Before(g.now) {
					c.revoked = t
					err = step(t, application.ByOperator, g.pickOp(), certificate.ActionRevoke, "certificate_revoked")
				}
			}
		}
		if err != nil {
			return err
		}
		g.certs = append(g.certs, c)
	}
	return nil
}
