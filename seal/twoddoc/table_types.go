package twoddoc

// Document types of perimeter 01 (C40), from the ANTS 2D-Doc specification,
// annex "Types de documents", § 6.1 (v3.3.x; cross-checked with the v3.1
// table). IssueDateRequired is the "Date d'émission" column (O = required).
//
// There is no separate passport or residence-permit type: identity
// documents (CNI, passport) are type 07 "Titre d'identité" with field 65
// giving the kind of document; residence-related documents for foreign
// nationals are type 13 "Document étranger".
var documentTypeTable = []DocumentType{
	// Justificatif de domicile / proof of address.
	dt("00", "Justificatif de domicile", "Proof of address", catAddress, true),
	dt("01", "Facture (énergie, téléphonie, accès internet, eau)", "Bill (energy, telephone, internet, water)", catAddress, true),
	dt("02", "Avis de taxe d'habitation", "Housing tax notice", catAddress, true),
	dt("03", "Relevé d'identité bancaire", "Bank account details (RIB)", catBankDomicile, false),
	// Documents bancaires / banking.
	dt("05", "Relevé d'identité SEPAmail", "SEPAmail account details", catBankDomicile, false),
	dt("11", "Relevé de compte", "Bank statement", catBank, true),
	// Justificatif fiscal / tax documents.
	dt("09", "Facture étendue", "Extended invoice", catTax, true),
	dt("19", "Déclaration de dons", "Gift declaration", catTax, false),
	dt("20", "Déclaration de cession de droits sociaux", "Declaration of transfer of shares", catTax, false),
	dt("21", "Attestation 2041-ASK", "2041-ASK certificate", catTax, false),
	// Justificatif de ressources / proof of income.
	dt("04", "Avis d'impôt sur les revenus", "Income tax notice", catIncome, false),
	dt("06", "Bulletin de salaire", "Payslip", catIncome, true),
	dt("18", "Avis de situation déclarative à l'impôt sur les revenus", "Income tax return statement", catIncome, false),
	dt("24", "Avis de situation déclarative à l'impôt sur les revenus (V2)", "Income tax return statement (V2)", catIncome, false),
	dt("27", "Avis de situation déclarative à l'impôt sur les revenus (V3)", "Income tax return statement (V3)", catIncome, false),
	dt("28", "Avis d'impôt sur les revenus (V2)", "Income tax notice (V2)", catIncome, false),
	// Justificatif d'emploi / proof of employment.
	dt("10", "Contrat de travail", "Employment contract", catEmployment, true),
	dt("15", "Attestation de décision favorable d'autorisation de travail", "Work permit approval certificate", catEmployment, true),
	dt("25", "Autorisation de travail – AES métier en tension", "Work permit – shortage occupation", catEmployment, true),
	dt("29", "Attestation d'activité professionnelle", "Certificate of professional activity", catEmployment, true),
	// Justificatif d'identité / proof of identity.
	dt("07", "Titre d'identité", "Identity document", catIdentity, true),
	dt("08", "MRZ", "MRZ", catIdentity, true),
	dt("13", "Document étranger", "Foreign national's document", catIdentity, true),
	// Véhicules et permis / vehicles and driving licences.
	dt("A0", "Certificat de qualité de l'air", "Air quality certificate", catVehicle, true),
	dt("A7", "Certificat de qualité de l'air (V2)", "Air quality certificate (V2)", catVehicle, true),
	dt("14", "Attestation DICEM", "DICEM certificate", catVehicle, true),
	dt("A8", "Certificat de cession électronique", "Electronic vehicle transfer certificate", catRegistration, true),
	dt("A1", "Courrier permis à points", "Driving licence points letter", catLicence, true),
	dt("AA", "Arrêtés permis de conduire", "Driving licence orders", catLicence, true),
	dt("AB", "Relevé d'information permis de conduire", "Driving licence record", catLicence, true),
	dt("AD", "Certificat de réussite à l'examen du permis de conduire", "Driving test pass certificate", catLicence, true),
	// Activité professionnelle / professional activity.
	dt("A3", "Macaron VTC", "Ride-hailing vehicle badge", catActivity, false),
	dt("A5", "Carte T3P", "T3P professional card", catActivity, false),
	dt("A6", "Carte professionnelle sapeur-pompier", "Firefighter professional card", catActivity, false),
	// Santé, académique, juridique / health, academic, legal.
	dt("A2", "Carte mobilité inclusion", "Mobility inclusion card", catHealth, true),
	dt("A4", "Certificat de décès", "Death certificate", catMedical, true),
	dt("AE", "Certificat de décès (V2)", "Death certificate (V2)", catMedical, true),
	dt("B0", "Diplôme", "Diploma", catAcademic, true),
	dt("B1", "Attestation de versement de la contribution à la vie étudiante", "Student life contribution receipt", catAcademic, true),
	dt("12", "Acte d'huissier", "Bailiff's deed", catLegal, true),
}

type category struct{ fr, en string }

var (
	catAddress      = category{"Justificatif de domicile", "Proof of address"}
	catBankDomicile = category{"Justificatif de domiciliation bancaire", "Proof of bank account"}
	catBank         = category{"Documents bancaires", "Banking documents"}
	catTax          = category{"Justificatif fiscal", "Tax document"}
	catIncome       = category{"Justificatif de ressources", "Proof of income"}
	catEmployment   = category{"Justificatif d'emploi", "Proof of employment"}
	catIdentity     = category{"Justificatif d'identité", "Proof of identity"}
	catVehicle      = category{"Justificatif de véhicule", "Vehicle document"}
	catRegistration = category{"Certificat d'immatriculation", "Vehicle registration"}
	catLicence      = category{"Justificatif permis de conduire", "Driving licence document"}
	catActivity     = category{"Justificatif d'activité", "Proof of activity"}
	catHealth       = category{"Justificatif de santé", "Health document"}
	catMedical      = category{"Justificatif médical", "Medical document"}
	catAcademic     = category{"Justificatif académique", "Academic document"}
	catLegal        = category{"Justificatif juridique/judiciaire", "Legal document"}
)

func dt(id, fr, en string, c category, issueDate bool) DocumentType {
	return DocumentType{ID: id, NameFR: fr, NameEN: en, CategoryFR: c.fr, CategoryEN: c.en, IssueDateRequired: issueDate}
}
