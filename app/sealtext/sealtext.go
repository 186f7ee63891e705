// Package sealtext words what package seal and its sub-packages found, in
// the language in use: what a payload is, why its signature has its
// status, how seal and chip differ, and the names of the fields a seal
// carries. The seal packages return codes and arguments; the sentences are
// in assets/lang/translations/seal.*.json. The GUI and the CLI both print
// through here, so a seal reads the same on the screen and in a terminal.
package sealtext

import (
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/twoddoc"
	"github.com/cnie-reader/cnie-reader/seal/vds"
)

// What says what the payload of r is ("" before [seal.Inspect]).
func What(r *seal.Result) string {
	a := args(r.What)
	switch r.What.Code {
	case seal.What2DDoc:
		if s := r.TwoDDoc; s != nil {
			a["Type"] = specName(s.DocumentType.NameFR, s.DocumentType.NameEN)
		}
		return i18n.T("seal.what.2ddoc", a)
	case seal.What2DDocDamaged:
		return i18n.T("seal.what.2ddoc_damaged", a)
	case seal.WhatVDS:
		return i18n.T("seal.what.vds", a)
	case seal.WhatVDSDamaged:
		return i18n.T("seal.what.vds_damaged", a)
	case seal.WhatURL:
		return i18n.T("seal.what.url", a)
	case seal.WhatText:
		return i18n.T("seal.what.text", a)
	case seal.WhatBinary:
		return i18n.T("seal.what.binary", a)
	}
	return r.What.Code
}

// Why says why the signature of r has its status ("" when the payload is
// no seal or was not verified).
func Why(r *seal.Result) string {
	a := args(r.Why)
	switch r.Why.Code {
	case seal.WhyValid:
		return i18n.T("seal.why.valid", a)
	case seal.WhyInvalid:
		return i18n.T("seal.why.invalid", a)
	case seal.WhyUnknownAuthority:
		return i18n.T("seal.why.unknown_authority", a)
	case seal.WhyOffline:
		return i18n.T("seal.why.offline", a)
	}
	return r.Why.Code
}

// Difference says on which field seal and chip disagree, with both values.
func Difference(d crosscheck.Difference) string {
	a := map[string]string{"Seal": d.Seal, "Chip": d.Chip}
	switch d.Field {
	case "surname":
		return i18n.T("seal.differs.surname", a)
	case "given_names":
		return i18n.T("seal.differs.given_names", a)
	case "document_number":
		return i18n.T("seal.differs.document_number", a)
	case "birth_date":
		return i18n.T("seal.differs.birth_date", a)
	case "expiry_date":
		return i18n.T("seal.differs.expiry_date", a)
	case "sex":
		return i18n.T("seal.differs.sex", a)
	case "nationality":
		return i18n.T("seal.differs.nationality", a)
	}
	return i18n.T("seal.differs.other", map[string]string{"Field": d.Field, "Seal": d.Seal, "Chip": d.Chip})
}

// FieldName2DDoc is the name of a 2D-Doc field in the specification's
// table ("" for an identifier the table does not have).
func FieldName2DDoc(f twoddoc.Field) string { return specName(f.NameFR, f.NameEN) }

// FieldNameVDS is the name of a VDS feature in its profile.
func FieldNameVDS(f vds.Field) string { return specName(f.NameFR, f.NameEN) }

// specName picks a name from the seal specifications' tables, which carry
// the French and the English name of each row.
func specName(fr, en string) string {
	if i18n.Lang() == "en" {
		return en
	}
	return fr
}

// args copies a message's arguments, so that adding one does not change
// the result it came from.
func args(m seal.Message) map[string]string {
	a := make(map[string]string, len(m.Args)+1)
	for k, v := range m.Args {
		a[k] = v
	}
	return a
}
