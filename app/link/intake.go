package link

import (
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// NewIntake is the loopback door services send browsers to, wired the one
// way for the window and `cnie-reader serve`: the user's trust list of
// services, a replay memory, pages in the user's language, and each
// verified request handed to holder, refusals worded by [problem.Intake]
// and the pages' words taken from the translation files. lang is the
// pages' language, "fr" or "en". The caller listens (intake.Listen) and
// serves.
//
// The policy for http answers is the same everywhere: an answer may go
// over plain http only when the service and its response_uri are both on
// this computer (loopback), which is the DEMO service's case. Such an
// answer never crosses a network, the request's signature is checked as
// any other's, and the consent screen names the host. Services elsewhere
// answer over https only.
//
// onError hears of a trust list that cannot be read (the intake then
// serves with none: listed services are shown as unknown, not trusted)
// and of every refused request; it must not block.
func NewIntake(holder intake.Holder, lang string, onError func(error)) *intake.Server {
	dir, _ := pki.DefaultUserDir()
	services, err := request.LoadServices(request.DefaultServicesDir(dir))
	if err != nil {
		services = &request.Services{}
		if onError != nil {
			onError(err)
		}
	}
	return &intake.Server{
		Verifier: &request.Verifier{Services: services, Seen: &request.StoreReplay{Max: 10000}, AllowLoopbackHTTP: true},
		Holder:   holder,
		Lang:     lang,
		OnError:  onError,
		Describe: problem.Intake,
		Done:     func(lang string) string { return i18n.Locale{Lang: lang}.T("intake.done") },
	}
}
