package vds

// Worked examples of BSI TR-03137 Part 1 v2.5 (Annexes C to H), copied
// from the "raw data" / "input bytestream" of each annex.
var (
	// Annex C: Arrival Attestation Document, version 3 (0x02), DETS00027.
	bsiAnnexC = `dc 02 6a bc 6d 32 c8 a5 19 fc 0f 71 34 11 45 f4 fd 02 02 30 a5 62 13 53 d9 a2 75 73 5b d4 13 4b c5 49 13 3c 13 3c 13 3c 13 3c 13 3c a3 25 19 a5 19 a4 34 4a 5e 68 1a e7 20 4b 20 d5 32 cf 4b 7c 13 3c 13 3f 03 08 20 d5 20 10 19 a5 1a ea ff 40 4a 1f 21 8c a4 39 26 47 ec ff 6c 8a bf 9e 79 6a 78 ee be 0b 1a c8 cc 25 c4 ee 17 ee d9 61 d1 18 90 91 35 8d 7d 61 6f 1a 51 7a bc 74 7f 6c 44 90 ff 15 9d 4d cf 50 24 8b 00 b1 e3 2e 9e 78 05 e7`
	// Annex D: Social Insurance Card, version 3, UTF-8 names.
	bsiAnnexD = `dc 02 6a bc 6d 32 c8 a5 19 fc 0f 71 34 11 6d 04 fc 04 01 08 3f ee 45 6d 2d e0 19 a8 02 0b 50 65 72 73 63 68 77 65 69 c3 9f 03 05 4f 73 63 61 72 04 13 4a c3 a2 63 6f 62 c3 a9 6e 69 64 69 63 74 75 72 69 75 73 ff 40 58 2e d0 5c b0 50 49 b4 fe 49 74 4d 5e 70 a1 98 2f 8b 7a fb 1e 90 25 9c e4 7b a9 90 7e fc f5 94 83 f0 a0 b4 21 ec 76 0d 6f d2 28 4b ba c3 7e 13 6f 1e 3b e6 e1 4a 6f 6b c0 12 11 0c ff 91 9d 0f`
	// Annex E: Residence Permit, version 4 (0x03), DETS0227.
	bsiAnnexE = `dc 03 6a bc 6d 32 c8 a7 27 39 0f 71 34 11 45 f4 fb 06 02 30 5c ba 13 58 75 97 6e c0 66 d4 17 b5 9e 8c 6a bc 13 3c 13 3c 13 3c 13 3c 3f ef 3a 29 38 ee 43 f1 59 3d 1a e5 2d bb 26 75 1f e6 4b 7c 13 3c 13 6b 03 06 d7 95 19 a6 53 06 ff 40 15 8c f5 b0 bb 7f bd a0 99 e8 e7 c9 4a be fc 96 77 b2
e7 1e 98 85 f5 cd 90 57 a8 bf cf 93 0a 60 46 bc f8 97 65 0a f8 f9 b0 34 3c 03 4d 2f 64 ce 08 1f 95 fb f3 d0 12 92 d1 f8 16 5e ce 27 d3 27`
	// Annex F: VISA sticker (ICAO visa profile), version 4, DETS0232, brainpoolP224r1.
	bsiAnnexF = `dc 03 6a bc 6d 32 c8 a7 2c b1 0f 71 34 b7 98 15 5d 01 02 2c dd 52 13 4a 74 da 13 47 c6 fe d9 5c b8 9f 9f ce 13 3c 13 3c 13 3c 13 3c 20 38 33 73
4a af 47 f0 c3 2f 1a 1e 20 eb 26 25 39 3a fe 31 04 03 a0 00 00 05 06 33 be 1f ed 20 c6 ff 38 d5 57 32 47 60 8c 9b 64 ca e0 22 c1 c5 24 96 60 e5 1a e3 16 d6 00 f9 74 aa c2 12 9c 3f 09 3c 35 95 53 14 02 63 04 70 5c d2 4c 1b 81 00 71 1b d4 41 1f 06 8e 8d 93 e8 b7`
	// Annex G: Address sticker for the German identity card, version 4.
	bsiAnnexG = `dc 03 6a bc 6d 32 c8 a7 2c b1 0f 71 35 b7 98 15 f9 08 01 06 cf 35 19 af 97 4c 02 06 1a 70 20 85 19 a1 03 10 39 5e 26 b3 d9 a2 75 73 5b d4 cd 48 5c a1 71 76 ff 38 91 01 f3 05 c9 aa 04 d2 ab 00 21 2c 7c f6 5f ef ca af 56 5a 54 53 8b 24 98 d6 81 a1 88 39 c9 26 56 52 6c 40 59 4b 0b 1d a1 2a 27 f6 87 a3 50 12 78 dc 41 45 b6 e6 4a fc`
	// Annex H: Place of residence sticker for German passports, version 4.
	bsiAnnexH = `dc 03 6a bc 6d 32 c8 a7 2c b1 0f 71 35 b7 98 15
f8 0a 01 06 b7 7a 38 e5 96 ce 02 06 1a 20 3a 4d
1f e1 03 04 26 53 20 81 ff 38 14 62 bc fe f5 1a
d1 b8 d0 9d e3 28 b1 5c 54 35 e6 48 29 ce 54 86
47 dd 57 97 87 16 96 24 a0 46 73 8d c5 02 37 08
31 9a 42 94 81 11 31 ea ac 58 d5 18 cf e9 8b 43
14 37`
)

// Seals quoted by the open-source decoder de.tsenger.vdstools
// (src/test/java/de/tsenger/vdstools/vds/VdsRawBytes.java), with the
// decoded values its tests expect (DigitalSealTest, VdsHeaderTest).
var (
	// emergenyTravelDoc: ICAO emergency travel document, UTO, UTTS5B.
	vdstoolsETD = `DC03D9C5D9CAC8A73A990F71347D4E37 5E0302308A0D62B9D917A4CCA93CA4D0
EDFC133C133C133C133C133C3FEF3A29 38EE43F1593D1AE52DBB26751FE64B7C
133C136BFF4022F8BD19ECCBA4EF24F2 04787796DD914FEC61F605B153B22A6E
F307D3869938A4E7E908F0A63B837988 0B395C7FDBAC720D7F2836D08E1DA626 11614A00120B`
	// residentPermit: residence permit re-signed with UTTS5B (brainpoolP256r1).
	vdstoolsResidencePermit = `DC03D9C5D9CAC8A73A990F71346ECF47 FB0602305CBA135875976EC066D417B5
9E8C6ABC133C133C133C133C3FEF3A29 38EE43F1593D1AE52DBB26751FE64B7C
133C136B0306D79519A65306FF408B7F 3B5F9A83FDD4F46EC7DCCC3384BB6C54
0AAF52603CC66D1F08B7F5E71243475D 0A833B51FD2A846622E847B1F3791803 F26D734B9BD18178FA22CFF2A31A`
	// supplementSheet: residence permit supplementary sheet.
	vdstoolsSupplementSheet = `DC03D9C5D9CAC8A73A990F71347D4E37 FA0604305CBA135875976EC066D417B5
9E8C6ABC133C133C133C133C3FEF3A29 38EE43F1593D1AE52DBB26751FE64B7C
133C136B0506B77519A519AAFF4008F9 E9B4B79BE5703048A4879A4F420C433C
375295A355FB0D29DCBED211CF6F5F57 38BA2B74E2FE5F1D2D2021E054BFFD0E 4CE17D98E5BCED26A85C91C68B2F`
)

// Signer keys of the examples, brainpoolP256r1, uncompressed. Neither
// source prints its certificate as text (vdstools keeps them in a BKS
// keystore), so the keys were recovered from one signature each
// (recoverKeys) and then confirmed by the other signatures of the same
// signer: TestExampleSignatures redoes both steps.
const (
	// DETS27: BSI Annexes C, D (DETS00027, version 3) and E (DETS0227, version 4).
	keyDETS27 = "048a4a6c721161e1eefe05e9b6b7ed9a0a227c96990a426875114dcd792b14d10896b5181ee317df3738d795a0a4171adb4f713378a329d08a3ee521b136579956"
	// UTTS5B: the vdstools ETD, residence permit and supplementary sheet.
	keyUTTS5B = "0408132a7243b3ccc29c271097081c96a729eefb8eb93630e536498e9b7ce1ced25d68a789d93bef39c04715c5ad3915d281c0754ecc08508bf66687efc630df88"
)
