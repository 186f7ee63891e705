package diag

import (
	"fmt"
	"strings"
	"time"
)

func t(fr, en string, args ...any) Text {
	return Text{FR: fmt.Sprintf(fr, args...), EN: fmt.Sprintf(en, args...)}
}

func (r *Report) add(sev Severity, what, next Text) {
	r.Findings = append(r.Findings, Finding{Severity: sev, What: what, Next: next})
}

// conclude turns the observations into findings, worst first, and a verdict.
func (r *Report) conclude(opts Options) {
	s := r.Service
	switch {
	case !s.Installed:
		r.add(Problem, t("Le service des lecteurs de cartes (pcscd) n'est pas installé.",
			"The smart card service (pcscd) is not installed."),
			t("Installez-le : sudo apt install pcscd libccid", "Install it: sudo apt install pcscd libccid"))
	case !s.Reachable && !s.Running:
		r.add(Problem, t("pcscd n'est pas démarré : aucun lecteur ne peut fonctionner.",
			"pcscd is not running: no reader can work."),
			t("Démarrez-le : sudo systemctl start pcscd.socket (ou sudo pcscd), puis relancez le diagnostic.",
				"Start it: sudo systemctl start pcscd.socket (or sudo pcscd), then run the diagnosis again."))
	case !s.Reachable:
		r.add(Problem, t("pcscd tourne mais ne répond pas (%s).", "pcscd is running but does not answer (%s).", s.Error),
			t("Redémarrez-le : sudo systemctl restart pcscd", "Restart it: sudo systemctl restart pcscd"))
	}
	if len(r.Conflicts) > 0 {
		mods := strings.Join(r.Conflicts, " ")
		r.add(Problem, t("Le noyau a chargé des pilotes NFC (%s) qui prennent les lecteurs de type ACR122U avant pcscd.",
			"The kernel loaded NFC drivers (%s) that take ACR122U-type readers before pcscd.", mods), r.ConflictFix)
	}
	if s.Reachable && len(r.Readers) == 0 {
		r.add(Problem, t("Aucun lecteur de cartes n'est détecté.", "No card reader is detected."),
			t("Branchez le lecteur. S'il l'est déjà : essayez un autre port USB, vérifiez que le pilote CCID est installé (sudo apt install libccid) et redémarrez pcscd.",
				"Plug the reader in. If it already is: try another USB port, check that the CCID driver is installed (sudo apt install libccid) and restart pcscd."))
	}
	perAPDU := opts.PerAPDU
	if perAPDU == 0 {
		perAPDU = 15 * time.Millisecond
	}
	for _, rd := range r.Readers {
		r.readerFindings(rd, perAPDU)
	}
	if !r.SelfTest.Passed {
		r.add(Problem, t("L'autotest sur la carte virtuelle a échoué (%s) : l'application elle-même est en cause.",
			"The self-test on the virtual card failed (%s): the application itself is at fault.", r.SelfTest.Error),
			t("Signalez-le au support avec ce rapport.", "Report it to support with this report."))
	} else {
		r.add(OK, t("Autotest réussi : lecture complète et vérification de la carte virtuelle en %.0f ms (%d échanges).",
			"Self-test passed: full read and verification of the virtual card in %.0f ms (%d exchanges).", r.SelfTest.Millis, r.SelfTest.APDUs), Text{})
	}
	r.sortAndConclude()
}

func (r *Report) readerFindings(rd Reader, perAPDU time.Duration) {
	name := rd.Model
	if name == "" {
		name = rd.Name
	}
	switch {
	case rd.Card == "absent":
		r.add(Info, t("Lecteur « %s » prêt, sans carte.", "Reader \"%s\" ready, no card.", name),
			t("Posez la carte bien à plat au centre du lecteur.", "Lay the card flat in the middle of the reader."))
	case rd.Card == "mute":
		r.add(Warning, t("Lecteur « %s » : une carte est là mais ne répond pas.", "Reader \"%s\": a card is there but does not answer.", name),
			t("Reposez la carte bien à plat, seule, au centre du lecteur.", "Put the card back flat, alone, in the middle of the reader."))
	case rd.Card == "in use":
		r.add(Warning, t("Lecteur « %s » : une autre application utilise la carte.", "Reader \"%s\": another application is using the card.", name),
			t("Fermez les autres applications de carte (navigateur avec module de carte, autre lecteur d'identité).",
				"Close the other card applications (browser with a card module, another eID client)."))
	case strings.HasPrefix(rd.Card, "removed"):
		r.add(Warning, t("Lecteur « %s » : la carte a bougé pendant le test.", "Reader \"%s\": the card moved during the test.", name),
			t("Gardez la carte à plat sur le lecteur sans la bouger pendant toute la lecture.",
				"Keep the card flat on the reader without moving it during the whole read."))
	case strings.HasPrefix(rd.Card, "unreachable"):
		r.add(Warning, t("Lecteur « %s » : impossible de joindre la carte (%s).", "Reader \"%s\": cannot reach the card (%s).", name, rd.Card),
			t("Retirez et reposez la carte ; si cela persiste, débranchez et rebranchez le lecteur.",
				"Take the card off and put it back; if it persists, unplug and plug the reader in again."))
	}
	if rd.Extended == "no" {
		extra := r.SelfTest.ShortAPDUs - r.SelfTest.APDUs
		if extra < 0 {
			extra = 0
		}
		secs := float64(extra) * perAPDU.Seconds()
		r.add(Warning, t("Lecteur « %s » : pas d'APDU étendus (extended length). La lecture d'une CNIE prendra environ %.0f s de plus (%d échanges de plus).",
			"Reader \"%s\": no extended-length APDUs. Reading a CNIE will take about %.0f s longer (%d more exchanges).", name, secs, extra),
			t("Cela fonctionne quand même. Pour des lectures rapides, un lecteur qui gère les APDU étendus (ACR1252U, Omnikey 5022, uTrust 3700 F, cyberJack RFID) convient mieux.",
				"It still works. For fast reads, a reader with extended-length support (ACR1252U, Omnikey 5022, uTrust 3700 F, cyberJack RFID) is better."))
	}
	if rd.CardKind.EN != "" && rd.Card == "present" {
		r.add(Info, t("Lecteur « %s » : %s", "Reader \"%s\": %s", name, rd.CardKind.FR), Text{})
		r.Findings[len(r.Findings)-1].What.EN = fmt.Sprintf("Reader \"%s\": %s", name, rd.CardKind.EN)
	}
	if tr := rd.TestRead; tr != nil {
		if tr.OK {
			r.add(OK, t("Lecture de test réussie en %.2f s (%s, %d échanges).", "Test read succeeded in %.2f s (%s, %d exchanges).", tr.Seconds, tr.Protocol, tr.APDUs), Text{})
		} else {
			r.add(Problem, t("Lecture de test échouée : %s", "Test read failed: %s", tr.Message.FR), Text{})
			f := &r.Findings[len(r.Findings)-1]
			f.What.EN, f.Detail = "Test read failed: "+tr.Message.EN, tr.Error
		}
	}
}

var severityOrder = map[Severity]int{Problem: 0, Warning: 1, Info: 2, OK: 3}

func (r *Report) sortAndConclude() {
	// Stable sort by severity, worst first.
	for i := 1; i < len(r.Findings); i++ {
		for j := i; j > 0 && severityOrder[r.Findings[j].Severity] < severityOrder[r.Findings[j-1].Severity]; j-- {
			r.Findings[j], r.Findings[j-1] = r.Findings[j-1], r.Findings[j]
		}
	}
	worst := OK
	if len(r.Findings) > 0 {
		worst = r.Findings[0].Severity
	}
	switch worst {
	case Problem:
		first := r.Findings[0]
		r.Verdict = t("Lecture impossible pour l'instant : %s %s", "Reading is not possible yet: %s %s", first.What.FR, first.Next.FR)
		r.Verdict.EN = fmt.Sprintf("Reading is not possible yet: %s %s", first.What.EN, first.Next.EN)
	case Warning:
		r.Verdict = t("Lecture possible, avec une réserve : voir les avertissements.", "Reading is possible, with a caveat: see the warnings.")
	default:
		r.Verdict = t("Tout est prêt pour lire une carte.", "Everything is ready to read a card.")
	}
}
