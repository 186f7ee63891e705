// Package claimtext names, for people, the identity data a service may ask
// for and everything that leaves the computer with them (package
// assertion's Datum and Item codes), from the translation files
// assets/lang/translations/assertion.*.json. The consent screen, the CLI's
// `serve` and the DEMO service's page all name them through here.
package claimtext

import (
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion"
)

// Datum is d's label in the language in use ("Nom", "Surname").
func Datum(d assertion.Datum) string { return text(i18n.T, datumKey(d), string(d)) }

// DatumIn is d's label in l's language, whatever the language in use.
func DatumIn(l i18n.Locale, d assertion.Datum) string {
	return text(func(k string, _ ...any) string { return l.Text(k) }, datumKey(d), string(d))
}

// Item is what leaves, named in the language in use.
func Item(it assertion.Item) string {
	if d := assertion.Datum(it.What); d.Valid() {
		return Datum(d)
	}
	return text(i18n.T, itemKey(it.What), it.What)
}

// text renders key, or shows the code itself when there is no key for it
// (a code this application does not know).
func text(render func(string, ...any) string, key, code string) string {
	if key == "" {
		return code
	}
	return render(key)
}

func datumKey(d assertion.Datum) string {
	switch d {
	case assertion.FamilyName:
		return "assertion.datum.family_name"
	case assertion.GivenNames:
		return "assertion.datum.given_names"
	case assertion.BirthDate:
		return "assertion.datum.birth_date"
	case assertion.Nationality:
		return "assertion.datum.nationality"
	case assertion.DocumentNumber:
		return "assertion.datum.document_number"
	case assertion.ExpiryDate:
		return "assertion.datum.expiry_date"
	case assertion.Sex:
		return "assertion.datum.sex"
	case assertion.Photo:
		return "assertion.datum.photo"
	case assertion.PlaceOfBirth:
		return "assertion.datum.place_of_birth"
	case assertion.Address:
		return "assertion.datum.address"
	}
	return ""
}

func itemKey(what string) string {
	switch what {
	case assertion.ItemMRZIssuer:
		return "assertion.item.mrz_issuer"
	case assertion.ItemMRZOptional:
		return "assertion.item.mrz_optional"
	case assertion.ItemDG11Rest:
		return "assertion.item.dg11_rest"
	case assertion.ItemSOD:
		return "assertion.item.sod"
	case assertion.ItemChipSignature:
		return "assertion.item.chip_signature"
	case assertion.ItemReport:
		return "assertion.item.report"
	case assertion.ItemFullName:
		return "assertion.item.full_name"
	case assertion.ItemFullBirthDate:
		return "assertion.item.full_birth_date"
	case assertion.ItemOtherNames:
		return "assertion.item.other_names"
	case assertion.ItemPersonalNumber:
		return "assertion.item.personal_number"
	case assertion.ItemTelephone:
		return "assertion.item.telephone"
	case assertion.ItemProfession:
		return "assertion.item.profession"
	case assertion.ItemTitle:
		return "assertion.item.title"
	case assertion.ItemPersonalSummary:
		return "assertion.item.personal_summary"
	case assertion.ItemOtherDocuments:
		return "assertion.item.other_documents"
	case assertion.ItemCustody:
		return "assertion.item.custody"
	case assertion.ItemProofOfCitizen:
		return "assertion.item.proof_of_citizen"
	}
	return ""
}
