"""The public pages in Welsh (``safehub.public.texts``). Keys as in ``en``; the
services' English error messages are given their Welsh in ``errors``.

Written by the team, not yet by a professional translator: the Welsh Language Standards expect
a translator's review before the service is offered in Welsh, as the changelog notes.
"""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, Any] = {
    "language_name": "Cymraeg",
    "other_language": "en",
    "other_language_name": "English",
    "switch_button": "Cadw a darllen y dudalen hon yn Saesneg (English)",
    "continue_button": "Parhau",
    "back": "Yn ôl",
    "change": "Newid",
    "warning": "Rhybudd",
    "call_999": "Os yw plentyn mewn perygl nawr, ffoniwch 999.",
    "titles": {
        "about": "Beth sy'n eich poeni?",
        "what": "Beth welsoch chi neu beth glywsoch chi?",
        "signs": "A yw unrhyw un o'r rhain yn berthnasol?",
        "when": "Pryd welsoch chi neu glywsoch chi hyn?",
        "where": "Ble digwyddodd hyn?",
        "identifiers": "Ydych chi'n gwybod unrhyw beth a allai adnabod y bobl neu'r cerbyd?",
        "you": "Ydych chi eisiau dweud wrthym pwy ydych chi?",
        "check": "Gwiriwch eich atebion cyn anfon eich adroddiad",
        "sent": "Adroddiad wedi'i anfon",
    },
    "about_choices": {
        "child": "Plentyn",
        "place": "Lle, fel tŷ, gwesty, siop neu siop tecawê",
        "vehicle": "Cerbyd, fel tacsi neu gar",
        "person": "Oedolyn",
        "online": "Cyswllt ar-lein â phlentyn",
    },
    "sign_choices": {
        "danger_now": "Mae plentyn mewn perygl nawr",
        "missing": "Mae plentyn ar goll o'i gartref neu o ofal",
        "regular": "Mae'n digwydd dro ar ôl tro",
        "gifts": "Mae oedolion yn rhoi anrhegion, arian, alcohol, cyffuriau neu lifftiau i blentyn",
    },
    "time_choices": {
        "morning": "Bore",
        "afternoon": "Prynhawn",
        "evening": "Noswaith",
        "night": "Nos",
    },
    "months": [
        "Ionawr",
        "Chwefror",
        "Mawrth",
        "Ebrill",
        "Mai",
        "Mehefin",
        "Gorffennaf",
        "Awst",
        "Medi",
        "Hydref",
        "Tachwedd",
        "Rhagfyr",
    ],
    "about_hint": "Dewiswch yr un sy'n gweddu orau. Gallwch ddweud mwy ar y tudalennau nesaf.",
    "what_hint": "Dywedwch beth ddigwyddodd a phwy oedd yno, yn eich geiriau eich hun. "
    "Disgrifiwch beth wnaeth yr oedolion. Gallwch ysgrifennu hyd at 3,000 o nodau.",
    "signs_hint": "Dewiswch bob un sy'n berthnasol, neu ddim un. Mae hyn yn dweud wrth y tîm "
    "beth i edrych arno gyntaf.",
    "when_intro": "Os nad ydych yn siŵr, gadewch y rhain yn wag.",
    "date_legend": "Dyddiad",
    "date_hint": "Er enghraifft, 27 3 2026",
    "day": "Diwrnod",
    "month": "Mis",
    "year": "Blwyddyn",
    "time_legend": "Adeg o'r dydd",
    "not_sure": "Ddim yn siŵr",
    "where_intro": "Os nad ydych yn gwybod, gadewch y rhain yn wag.",
    "postcode": "Cod post",
    "place_label": "Disgrifiwch y lle",
    "place_hint": "Er enghraifft, enw gwesty neu siop, stryd, parc. Hyd at 500 o nodau.",
    "identifiers_intro": "Dim ond os ydych yn eu gwybod. Peidiwch â cheisio cael gwybod mwy "
    "eich hun.",
    "vehicle": "Rhif cofrestru'r cerbyd",
    "phone": "Rhif ffôn",
    "handle": "Enw defnyddiwr neu broffil ar-lein",
    "handle_hint": "A pha ap neu wefan, er enghraifft Snapchat",
    "subject_name": "Eu henw",
    "subject_age": "Eu hoedran neu eu dyddiad geni",
    "subject_age_hint": "Er enghraifft, tua 40, neu 27 3 1985",
    "other": "Unrhyw beth arall, fel llysenw neu sut mae rhywun yn edrych",
    "other_hint": "Hyd at 300 o nodau",
    "you_hint": "Does dim rhaid i chi. Heb eich enw gallwch ddod yn ôl at eich adroddiad gyda'i "
    "gyfeirnod a'i ymadrodd cyfrinachol o hyd, ac ateb ein cwestiynau.",
    "stay_anonymous": "Na, rwyf eisiau aros yn ddienw",
    "yes": "Ydw",
    "if_yes": "Os dewisoch Ydw:",
    "your_name": "Eich enw",
    "contact": "Rhif ffôn neu gyfeiriad e-bost y gallwn gysylltu â chi arno",
    "contact_hint": "Dim ond os yw'n ddiogel i ni gysylltu â chi yno",
    "share_legend": "Gaiff y tîm weld yr union god post a'r diwrnod?",
    "share_hint": "Oni bai eich bod yn dweud ie, dim ond yr ardal (er enghraifft LS1) a'r "
    "wythnos y mae'r tîm yn eu gweld, fel na all ble a phryd oeddech chi bwyntio atoch chi. "
    "Mae'r hyn a ysgrifennoch yn eich geiriau eich hun yn cael ei ddangos fel y gwnaethoch ei "
    "ysgrifennu.",
    "share_no": "Na, dim ond yr ardal a'r wythnos",
    "share_yes": "Cânt, yr union god post a'r diwrnod",
    "check_keys": {
        "about": "Beth sy'n eich poeni",
        "what": "Beth welsoch chi neu glywsoch chi",
        "signs": "Beth sy'n berthnasol",
        "when": "Pryd",
        "where": "Ble",
        "identifiers": "Beth allai eu hadnabod",
        "you": "Pwy ydych chi",
        "share": "Gall y tîm weld",
    },
    "none_of_these": "Dim un o'r rhain",
    "not_known": "Ddim yn hysbys",
    "nothing": "Dim byd",
    "anonymous": "Dienw",
    "exact": "Yr union god post a'r diwrnod",
    "area_week": "Dim ond yr ardal a'r wythnos",
    "send_heading": "Nawr anfonwch eich adroddiad",
    "send_body": "Pan fyddwch yn ei anfon byddwch yn cael cyfeirnod ac ymadrodd cyfrinachol. "
    "Ysgrifennwch nhw i lawr: gyda nhw gallwch ddod yn ôl i weld beth sy'n digwydd, ychwanegu "
    "gwybodaeth ac ateb ein cwestiynau.",
    "send_button": "Anfon adroddiad",
    "your_reference": "Eich cyfeirnod",
    "danger_said": "Dywedoch fod plentyn mewn perygl nawr. Ffoniwch 999 nawr os nad ydych wedi "
    "gwneud yn barod.",
    "phrase_heading": "Eich ymadrodd cyfrinachol",
    "phrase_body": "Ysgrifennwch eich cyfeirnod a'ch ymadrodd cyfrinachol i lawr a'u cadw yn "
    "rhywle diogel. Ni allwn ddangos yr ymadrodd eto, ac nid oes neb yn yr hyb yn ei wybod.",
    "next_heading": "Beth sy'n digwydd nesaf",
    "next_before_link": "Bydd aelod o'r tîm diogelu lleol yn darllen eich adroddiad. Efallai y "
    "byddant yn gofyn cwestiwn i chi: i'w ddarllen a'i ateb,",
    "next_link": "dewch yn ôl at eich adroddiad",
    "next_after_link": "gyda'ch cyfeirnod a'ch ymadrodd cyfrinachol.",
    "not_tell": "Ni fyddwn yn dweud wrth neb eich bod wedi gwneud yr adroddiad hwn. Nid ydym yn "
    "cadw eich cyfeiriad rhyngrwyd.",
    # Every page
    "error_word": "Gwall",
    "skip_link": "Neidio i'r prif gynnwys",
    "success": "Llwyddiant",
    "problem": "Mae problem wedi codi",
    "error_prefix": "Gwall: ",
    "language_label": "Iaith",
    "footer": "Mae Safehub yn ffynhonnell agored o dan drwydded MIT.",
    "privacy_link": "Sut rydym yn defnyddio'r hyn rydych yn ei ddweud wrthym",
    # Coming back to a report
    "return_title": "Dod yn ôl at eich adroddiad",
    "return_intro": "Rhowch y cyfeirnod a'r ymadrodd cyfrinachol a gawsoch pan anfonoch eich "
    "adroddiad.",
    "reference": "Cyfeirnod",
    "reference_hint": "Er enghraifft, CR-7K3M-9PQD",
    "phrase": "Ymadrodd cyfrinachol",
    "phrase_hint": "Pedwar gair",
    "report_title": "Eich adroddiad",
    "message_added": "Diolch. Mae eich neges wedi'i hychwanegu at eich adroddiad.",
    "sent_at": "Anfonwyd",
    "happening": "Beth sy'n digwydd",
    "statuses": {
        "received": "Wedi'i dderbyn: mae'n aros i gael ei ddarllen",
        "in_review": "Mae'r tîm diogelu yn edrych arno",
        "closed": "Wedi'i gau: mae'r tîm wedi gwneud yr hyn a all gydag ef",
        "converted": "Mae'r tîm diogelu yn edrych arno",
    },
    "messages": "Negeseuon",
    "from_team": "Y tîm diogelu",
    "from_you": "Chi",
    "no_messages": "Dim negeseuon eto. Os oes gan y tîm gwestiwn, bydd yn ymddangos yma.",
    "answer_label": "Atebwch gwestiwn y tîm",
    "add_label": "Ychwanegu gwybodaeth at eich adroddiad",
    "message_hint": "Hyd at 2,000 o nodau",
    "send": "Anfon",
    "leave": "Gadael eich adroddiad",
    "at": "am",
    "am": "yb",
    "pm": "yh",
    # The slow-down page
    "slow_title": "Arhoswch ychydig funudau, yna rhowch gynnig arall arni",
    "slow_why": "Mae llawer wedi'i anfon o'ch cysylltiad rhyngrwyd yn ystod y munudau "
    "diwethaf. Gall hyn ddigwydd ar gysylltiad a rennir, fel mewn ysgol neu lyfrgell.",
    "slow_before_link": "Nid oes dim a deipiwyd gennych wedi'i golli. Arhoswch ychydig funudau, "
    "yna",
    "slow_link": "ewch yn ôl a rhowch gynnig arall arni",
    "slow_call": "Os na allwch aros, ffoniwch yr heddlu ar 101.",
    # Y tudalennau gwall a rennir (public.app.error_page)
    "not_found_title": "Heb ddod o hyd i'r dudalen",
    "not_found_body": "Os gwnaethoch deipio'r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os "
    "gwnaethoch ludo'r cyfeiriad gwe, gwiriwch eich bod wedi copïo'r cyfeiriad cyfan.",
    "expired_title": "Nid oedd modd anfon eich ffurflen",
    "expired_body": "Roedd y dudalen wedi dod i ben. Ewch yn ôl, ail-lwythwch y dudalen a rhowch "
    "gynnig arall arni.",
    "broken_title": "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
    "broken_body": "Nid oes dim a anfonwyd gennych wedi'i golli na'i hanner gadw. Rhowch gynnig "
    "arall arni yn nes ymlaen. Os yw plentyn mewn perygl nawr, ffoniwch 999.",
    "problem_title": "Mae'n ddrwg gennym, mae problem wedi codi",
    "problem_body": "Nid oedd modd darllen rhywbeth a anfonwyd gennych. Ewch yn ôl a rhowch "
    "gynnig arall arni.",
    "error_reference": "Cyfeirnod:",
    "error_start_link": "Ewch i'r dudalen gychwyn",
    # The privacy notice
    "privacy_title": "Sut rydym yn defnyddio'r hyn rydych yn ei ddweud wrthym",
    "privacy_who": "Mae'r gwasanaeth hwn yn cael ei redeg gan y bartneriaeth ddiogelu leol: "
    "gwasanaethau plant y cyngor, yr heddlu a'r gwasanaethau iechyd yn gweithio gyda'i gilydd i "
    "amddiffyn plant.",
    "privacy_kept_heading": "Beth rydym yn ei gadw",
    "privacy_kept": [
        "Yr hyn rydych yn ei ddweud wrthym yn y ffurflen, a'r negeseuon rhyngoch chi a'r tîm.",
        "Eich enw a sut i gysylltu â chi, dim ond os byddwch yn dewis eu rhoi.",
        "Ffurf gymysg o'ch ymadrodd cyfrinachol, na ellir ei throi'n ôl yn yr ymadrodd.",
    ],
    "privacy_not_kept_heading": "Beth nad ydym yn ei gadw",
    "privacy_not_kept": [
        "Eich cyfeiriad rhyngrwyd (IP), nac unrhyw beth am eich dyfais.",
    ],
    "privacy_blurred": "Oni bai eich bod yn cytuno fel arall, dim ond yr ardal (er enghraifft "
    "LS1) a'r wythnos y mae'r tîm yn eu gweld, nid yr union god post a'r diwrnod. Nid oes dim "
    "ar y wefan hon yn cael ei lwytho o gwmni arall, na'i anfon ato: nid oes cwcis dadansoddi "
    "na hysbysebu. Mae'r unig gwci yn cadw eich atebion gyda'i gilydd tra byddwch yn eu "
    "hysgrifennu, ac mae'n dod i ben pan fyddwch yn cau eich porwr.",
    "privacy_how_long_heading": "Am ba hyd rydym yn ei gadw",
    "privacy_how_long": [
        "Eich atebion, os byddwch yn stopio cyn anfon: cânt eu dileu o fewn 2 awr.",
        "Ffurf gymysg o'ch cyfeiriad rhyngrwyd, a ddefnyddir dim ond i arafu llif o "
        "adroddiadau: caiff ei dileu o fewn 24 awr.",
        "Os bydd y tîm yn ychwanegu eich adroddiad at y cofnod a rennir (fel atgyfeiriad, "
        "cofnod cudd-wybodaeth neu nodyn ar achos), caiff ei gadw cyhyd â'r cofnod hwnnw. Caiff "
        "cofnod am gam-drin plentyn yn rhywiol ei adolygu 75 mlynedd ar ôl y cofnod olaf arno, "
        "fel yr argymhellodd yr Ymchwiliad Annibynnol i Gam-drin Plant yn Rhywiol, ac mae person "
        "yn penderfynu a ddylid ei gadw.",
        "Caiff adroddiad nad yw wedi'i ychwanegu at y cofnod a rennir, a'i negeseuon, eu "
        "hadolygu {period} ar ôl y neges olaf arno (swyddog diogelu data'r bartneriaeth sy'n "
        "pennu'r cyfnod hwn). Yna mae person yn penderfynu a ddylid ei gadw am fwy o amser, "
        "dileu'r manylion a allai ddangos pwy yw unrhyw un, neu ei ddileu. Nid oes dim yn cael "
        "ei ddileu heb y penderfyniad hwnnw, a chaiff pob penderfyniad ei gofnodi.",
    ],
    "privacy_why_heading": "Pam rydym yn ei ddefnyddio",
    "privacy_why": "I amddiffyn plant rhag niwed (tasg gyhoeddus, a diogelu plant o dan Ddeddf "
    "Diogelu Data 2018). Arweinwyr diogelu yw'r staff sy'n darllen adroddiadau, ac mae pob tro "
    "y caiff adroddiad ei ddarllen yn cael ei gofnodi.",
    "errors": {
        "Select what you are worried about": "Dewiswch beth sy'n eich poeni",
        "Enter what you saw or heard": "Rhowch beth welsoch chi neu glywsoch chi",
        "Select from the list, or none of them": "Dewiswch o'r rhestr, neu ddim un ohonynt",
        "Enter a real date, for example 27 3 2026, or leave the date empty": "Rhowch ddyddiad "
        "go iawn, er enghraifft 27 3 2026, neu gadewch y dyddiad yn wag",
        "The date must be today or in the past": "Rhaid i'r dyddiad fod heddiw neu yn y gorffennol",
        "Select a time of day, or leave it unselected": "Dewiswch adeg o'r dydd, neu peidiwch "
        "â dewis un",
        "Enter a postcode like LS1 4AB, or leave it empty": "Rhowch god post fel LS1 4AB, neu "
        "gadewch ef yn wag",
        "A registration has only letters, numbers and spaces": "Dim ond llythrennau, rhifau a "
        "bylchau sydd mewn rhif cofrestru",
        "A phone number has only numbers, spaces and a + at the start": "Dim ond rhifau, "
        "bylchau a + ar y dechrau sydd mewn rhif ffôn",
        "Enter an age like 40 or about 40, or a date of birth like 27 3 1985, or leave it "
        "empty": "Rhowch oedran fel 40 neu tua 40, neu ddyddiad geni fel 27 3 1985, neu gadewch "
        "ef yn wag",
        "Select whether you want to tell us who you are": "Dewiswch a ydych eisiau dweud "
        "wrthym pwy ydych chi",
        "Enter your name or a way to contact you, or choose No": "Rhowch eich enw neu ffordd o "
        "gysylltu â chi, neu dewiswch Na",
        "Select whether we may see the exact place and day": "Dewiswch a gawn ni weld yr union "
        "le a'r diwrnod",
        "Enter your reference, for example CR-7K3M-9PQD": "Rhowch eich cyfeirnod, er enghraifft "
        "CR-7K3M-9PQD",
        "Enter your secret phrase": "Rhowch eich ymadrodd cyfrinachol",
        "The reference and secret phrase do not match a report. Check both.": "Nid yw'r "
        "cyfeirnod a'r ymadrodd cyfrinachol yn cyfateb i adroddiad. Gwiriwch y ddau.",
        "Enter what you want to tell us": "Rhowch yr hyn rydych eisiau ei ddweud wrthym",
    },
    "too_long": "Rhaid i {what} fod yn {most} o nodau neu lai",
    "field_names": {
        "what_seen": "yr hyn a welsoch neu a glywsoch",
        "place_postcode": "y cod post",
        "place_description": "y disgrifiad o'r lle",
        "vehicle_registration": "rhif cofrestru'r cerbyd",
        "phone": "y rhif ffôn",
        "online_handle": "yr enw defnyddiwr neu'r proffil",
        "subject_name": "eu henw",
        "subject_age": "eu hoedran neu eu dyddiad geni",
        "other_identifier": "unrhyw beth arall sy'n eu hadnabod",
        "reporter_name": "eich enw",
        "reporter_contact": "sut y gallwn gysylltu â chi",
        "message": "eich neges",
    },
}
