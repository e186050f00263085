# istanze: the texts of the citizen's pages and messages, in English (ids as in it.ftl).

language-name = English


## Layout.
vai-contenuto-principale = Skip to main content
ambiente-dimostrativo = Demonstration environment
identita-prova-nessun-valore-legale = test identities, no legal value. Do not enter real data.
ambiente-prova = Test environment
sono-attivi-identity-provider-test = test identity providers are active.
esci = Log out
accedi = Log in
istanze-online = Online applications
menu-principale = Main menu
servizi = Services
mie-domande = My applications
servizi-online-cittadini-imprese = Online services for citizens and businesses

## Catalogue.
servizi-online = Online services
presenta-tue-domande-all-ente = Send your applications to the administration without going to its offices. Log in with SPID or CIE, fill in the form and get the receipt with the registration number straight away.
ufficio = Office
accesso-richiesto-spid-livello = Login required: SPID level
o-cie = or CIE

## Login.
presentare-domanda-devi-identificarti-tua = To send an application you need to identify yourself with your digital identity: SPID, the Italian electronic identity card (CIE) or, if you are a citizen of another European country, eIDAS.
servizio-richiede-identita-digitale-livello = This service needs a digital identity of level
o-superiore = or higher
nessun-gestore-identita-spid-configurato = No SPID identity provider is configured.
entra-spid = Log in with SPID
scegli-tuo-gestore-identita-digitale = Choose your digital identity provider:
maggiori-informazioni-su-spid = More about SPID
non-hai-spid = No SPID yet?
carta-d-identita-elettronica = Electronic identity card (CIE)
entra-cie = Log in with CIE
maggiori-informazioni-su-cie = More about CIE

## Service page.
ufficio-responsabile = Office in charge
come-si-presenta-domanda = How to apply
accedi-spid-cie-compila-modulo = Log in with SPID or CIE, fill in the form and send it. You get the receipt straight away; the registration number follows as soon as the application is registered.
livello-spid-richiesto = SPID level required
accedi-compilare-domanda = Log in to fill in the application
domanda-non-inviata-campi = The application was not sent: correct { $count ->
    [one] 1 field
   *[other] { $count } fields
}
bozza-salvata = Draft saved.
ritrovi-qui = You will find it here and in
anche-altro-dispositivo = also from another device.
stai-riprendendo-bozza-salvata = You are resuming the draft saved on
campi-contrassegnati = Fields marked with
asterisco = asterisk
sono-obbligatori = are required.
passi-domanda = Steps of the application
passo-di = Step { $n } of { $total }
dato-verificato = Verified
file-caricato = File uploaded:
puoi-sceglierne-altro-sostituirlo = You can choose another one to replace it.
seleziona-opzione = Select an option
controlla-invia = Check and send
avanti = Next
indietro = Back
invia-domanda = Send the application
salva-come-bozza = Save as draft
elimina-bozza-ricomincia = Delete the draft and start again

## Summary before the final submit.
controlla-domanda-prima-inviarla = Check the application before sending it
questo-riepilogo-quanto-hai-inserito = This is a summary of what you entered. If something is wrong, change it: your answers stay saved in the draft.
nessuna-risposta = No answers.
modifica = Change

## Receipt.
ricevuta = Receipt
ricevuta-domanda = Receipt of the application
domanda-ricevuta-protocollazione-corso = Application received: registration in progress.
domanda-stata-salvata-non-andra = The application has been saved and will not be lost. The registration number will appear on this page as soon as the registration is complete.
domanda-protocollata = Application registered
con-numero = with number
del-data = of
servizio = Service
oggetto = Subject
presentata-il = Sent on
codice-domanda = Application code
impronta-documento-sha-256 = Document fingerprint (SHA-256)
ufficio-protocollo = Registry office
segnatura = Registration mark
documenti = Documents
documento-domanda-pdf = Application document (PDF, in Italian)
ricevuta-pdf = Receipt (PDF, in Italian)
cosa-succede-adesso = What happens next
aggiorna-pagina = Refresh the page
l-ufficio-esamina-domanda-potrai = The office examines the application. You can follow it on the page
protocollo-numero-data = No. { $n } of { $date }
data-alle-ora = { $date } at { $time }
in-corso = In progress
registrata-dall-ufficio-protocollo-dell = Registered by the administration's registry office with number { $n } of { $date }.
registrazione-n-dell-ufficio-protocollo = Registration no. { $n } of { $date } by the administration's registry office was cancelled; the office will contact you.
l-ufficio-protocollo-dell-ente = The administration's registry office reported a problem ({ $reason }); the office will contact you.
inviata-all-ufficio-protocollo-dell = Sent to the administration's registry office; waiting for its confirmation of receipt.
invio-all-ufficio-protocollo-dell = Being sent to the administration's registry office.

## My applications.
bozze = Drafts
domande-iniziate-non-ancora-inviate = Applications started and not sent yet
salvata-il = Saved on
scade-il = Expires on
azione = Action
riprendi = Resume
la-bozza-di = the draft of
domande-presentate = Applications sent
non-hai-ancora-presentato-domande = You have not sent any application yet.
vai-ai-servizi = Go to the services
domande-presentate-dalla-piu-recente = Applications sent, most recent first
protocollo = Registration
apri-ricevuta = Open the receipt
della-domanda-del = of the application of

## Errors.
codice-riferimento = Reference code
torna-ai-servizi = Back to the services
accesso-richiesto = Login required
accesso-non-consentito = Access not allowed
pagina-non-trovata = Page not found
dati-non-validi = Invalid data
servizio-momentaneamente-non-disponibile = Service temporarily unavailable
richiesta-non-valida = Invalid request
errore-imprevisto = Unexpected error
questo-servizio-richiede-livello-sicurezza = This service needs a higher SPID security level than the one you logged in with. Log in again with the level required.
richiesta-accesso-scaduta-gia-stata = The login request has expired or was already used. Go back to the service page and log in again.
risposta-gestore-dell-identita-non = The identity provider's answer cannot be read. Try to log in again.
servizio-accesso-non-disponibile-questo = The login service is not available right now. Try again later.
non-stato-possibile-verificare-l = The login could not be verified: the identity provider's answer is not valid. Try to log in again.
pagina-domanda-richiesta-non-esiste = The page or application you asked for does not exist.
continuare-devi-accedere-spid-cie = To continue, log in with SPID or CIE.
quest-area-riservata-personale-dell = This area is for the administration's staff. For your applications go to My applications.
non-risulti-personale-ente = You are not among this administration's authorised staff. If you work here, ask one of its administrators to give you a role.
personale-accede-con-codice-fiscale = The staff area is for people with an Italian fiscal code: log in with SPID or CIE.
personale = staff
area-del-personale = Staff area
i-tuoi-ruoli-in-questo-ente = Your roles at this administration
ruolo = Role
ambito = Reach
tutto-l-ente = The whole administration
ruolo-amministratore = Administrator
ruolo-progettista = Form designer
ruolo-operatore = Office operator
ruolo-responsabile = Procedure manager
ruolo-protocollista = Records manager
ruolo-revisore = Auditor (read only)
decisione-spetta-responsabile = The decision is the procedure manager's: your role does not allow it.
azione-spetta-operatore = This action is for an office operator or the procedure manager.
evento-spetta-cittadino = This communication is the citizen's to send, not the office's.
evento-non-possibile-stato = This action is not possible in the application's present state.
osservazioni-ancora-possibili = The citizen may still send observations: ten days have not passed since the notice of intended refusal.
silenzio-assenso-non-previsto = Tacit consent does not apply to this service.
termine-non-ancora-scaduto = The procedure's term has not ended yet: there is no tacit consent.
evento-prima-del-precedente = An event cannot be dated before the last one recorded.
serve-messaggio-cittadino = Write the reasons, or what is missing, for the citizen: this communication cannot be empty.
domanda-cambiata-nel-frattempo = Someone else updated the application meanwhile: reload the page and try again.
serve-elenco-integrazione = Write what the citizen must send, one item per line: an integration request without items cannot be sent.
termine-risposta-non-valido = The reply deadline must be after today and at most thirty days away (art. 2(7) of Law 241/1990).
troppi-documenti-risposta = You can attach at most { $max } documents to a reply.
risposta-vuota = Write a message or attach at least one document before sending your reply.
uff-domanda = Application
uff-code = Work queues
coda-da-prendere = To take in charge
coda-mie = Assigned to me
coda-in-attesa-del-cittadino = Waiting for the citizen
coda-in-scadenza = Expiring
coda-decise = Concluded
uff-servizio = Service
uff-tutti-i-servizi = All services
uff-filtra = Filter
uff-nessuna-domanda = No application in this queue.
uff-domande-in-coda = { $count ->
    [one] 1 application, nearest term first
   *[other] { $count } applications, nearest term first
}
uff-stato = State
uff-termine = Term
uff-pagine = Pages
uff-pagina-precedente = Previous page
uff-pagina-successiva = Next page
uff-torna-alle-code = Back to the work queues
uff-versione = version
uff-termine-sospeso = suspended
uff-giorni-rimanenti = { $count ->
    [one] 1 day left
   *[other] { $count } days left
}
uff-prossime-azioni = Next actions
uff-azione = Action
uff-messaggio = Message to the citizen
uff-messaggio-aiuto = For a request for integration write what is missing; for a notice of intended refusal or a refusal write the reasons.
uff-registra = Record
uff-cronologia = Timeline
uff-nessun-evento = No event yet: the application was received and registered.
uff-risposte = The citizen's answers
stato-ricevuta = Received
stato-presa-in-carico = Taken in charge
stato-in-istruttoria = In review
stato-attesa-integrazione = Waiting for integration
stato-integrazione-ricevuta = Integration received
stato-attesa-osservazioni = Waiting for observations
stato-osservazioni-ricevute = Observations received
stato-accolta = Accepted
stato-respinta = Refused
stato-ritirata = Withdrawn
stato-archiviata = Closed without follow-up
stato-silenzio-assenso = Accepted by tacit consent
evento-avvio = Taken in charge, start of procedure
evento-istruttoria = Review started
evento-richiesta-integrazione = Request for integration
evento-integrazione = The citizen's integration
evento-preavviso-rigetto = Notice of intended refusal
evento-osservazioni = The citizen's observations
evento-accoglimento = Acceptance
evento-rigetto = Refusal
evento-ritiro = Application withdrawn
evento-archiviazione = Closed without follow-up
evento-silenzio-assenso = Tacit consent
richiesta-non-proviene-pagina-questo = The request did not come from a page of this service and was refused. Reload the page and try again.
richiesta-non-valida-2 = The request is not valid.
questo-codice-domanda-gia-stato = This application code was already used for another application.
un-allegato-fa-gia-parte = One of the attached files is already part of another application: attach it again and send.
dati-inviati-superano-dimensione-massima = The data sent exceeds the largest size allowed.
formato-dati-inviati-non-supportato = The format of the data sent is not supported.
alcuni-dati-non-sono-corretti = Some data is not correct: check the fields shown.
servizio-molto-richiesto-questo-momento = The service is very busy at the moment and could not answer. Try again in a moment: the data already sent has not been lost.
troppe-richieste-riprova-tra = Too many requests from this address in a short time. Try again in { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
}.
troppe-richieste = Too many requests
modalita-dimostrativa-accesso-consentito-solo = Demo mode: access is allowed from the local machine only, not through a proxy.
servizio-momentaneamente-non-disponibile-dati = The service is temporarily unavailable. The data already sent has not been lost: try again in a few minutes.
si-verificato-errore-imprevisto-riprova = An unexpected error occurred. Try again later; if it goes on, give the reference code to the office.
accesso-non-riuscito-hai-superato = Login failed: you went over the number of attempts allowed. Try again later.
accesso-non-riuscito-non-hai = Login failed: you have no credentials of the security level the service needs.
accesso-non-riuscito-tempo-disposizione = Login failed: the time allowed for authentication ran out. Try again.
accesso-non-riuscito-hai-negato = Login failed: you did not consent to sending your data to the service.
accesso-non-riuscito-tua-identita = Login failed: your digital identity is suspended or revoked. Contact your identity provider.
accesso-annullato-hai-interrotto-procedura = Login cancelled: you stopped the authentication.
accesso-non-riuscito-gestore-dell = Login failed: the identity provider refused the authentication.
modulo-inviato-non-leggibile-riprova = The form sent cannot be read: try again.
dati-domanda-devono-essere-oggetto = The application's data must be a JSON object.
richiesta-multipart-non-valida = Invalid multipart request.
parte-data-compare-piu-volta = The "data" part appears more than once.
parte-data-non-json-valido = The "data" part is not valid JSON.
nome-file-non-testo-valido = The file's name is not valid text.
manca-parte-data-dati-domanda = The "data" part with the application's data is missing.
parte-data-deve-essere-oggetto = The "data" part must be a JSON object.
campo-ha-piu-file = The field { $name } has more than one file.
l-allegato-non-piu-disponibile = The attachment is no longer available: upload it again.

## Demo identity provider.
identity-provider-dimostrativo = Demonstration identity provider
scegli-cittadino-prova-risposta-sara = Choose a test citizen. The answer is signed with the demonstration provider's key and checked by the service as a real SPID answer.
cittadino-prova = Test citizen
accedi-come-questo-cittadino = Log in as this citizen
ritorno-servizio = Back to the service
se-pagina-non-prosegue-sola = If the page does not go on by itself, press the button.
continua = Continue
parte-sconosciuta = Unknown part { $name }: files go in the parts named with the JSON pointer of a file field of the form.
modulo = Form

## Files refused next to their field
allegato-vuoto = The file is empty: choose the file to attach.
allegato-troppo-grande = The file is too large: the largest allowed is { $max }. Make it smaller and upload it again.
allegato-tipo-non-accettato = The file is not of an accepted type: accepted are { $accepted }. The type is recognised from the file's content, not from its name.
allegato-infetto = The antivirus check found a problem in this file: it was not accepted.
allegato-antivirus-non-disponibile = The antivirus check is not available right now: try again in a few minutes.
allegato-troppo-grande-per-antivirus = The file is larger than the antivirus check can examine: make it smaller and upload it again.
allegati-limite-non-inviati = Your files not yet sent already reach the limit of { $max }: send or delete your drafts, or try again in a few days.
allegati-totale-troppo-grande = The application's attachments together exceed the largest total of { $max }.
allegato-interrotto = The upload of the file was interrupted: upload it again.
allegato-nome-non-ammesso = The file's name contains characters that are not allowed (such as control characters): rename the file and upload it again.
tipo-p7m = P7M (digitally signed)
ufficio-chiede-integrazione = The office asks you to complete your application
ufficio-preavviso-rigetto = Notice of intended refusal: you can send observations
rispondi-entro = Reply by
cosa-inviare = What to send:
documenti-da-inviare = Documents to send
documenti-risposta-aiuto = PDF, signed PDF (p7m), JPEG or PNG; up to 10 MB each and up to 10 documents.
messaggio-ufficio = Message for the office (optional if you attach documents)
invia-risposta = Send your reply
stato-pratica = Where your application stands
nessuna-comunicazione = No communications yet.
inviata-da-te = sent by you
scarica-documento-pdf = Download the document (PDF)
rinuncia-domanda = Withdraw the application
motivo-rinuncia = Reason (optional)
conferma-rinuncia = I withdraw the application
protocollazione-in-corso = being registered
tipo-risposta-non-valido = Invalid reply type: use integration, observations or withdrawal.
uff-fascicolo = Case file
uff-per-richiesta-integrazione = For an integration request
uff-voci-integrazione = What the citizen must send (one item per line)
uff-voci-integrazione-aiuto = Write each missing document or detail on its own line: the citizen sees them listed so.
uff-entro = By
uff-entro-aiuto = Optional: if empty, thirty days from today (the most the term may be suspended, art. 2(7)).
uff-allegati = Files of the application
uff-esporta = Export this queue
uff-formato = File format
uff-colonne-risposte = Answers to include
uff-scegli-servizio-colonne = Choose a service in the filter to include the form's answers too.
uff-scarica = Download
ufficio-fuori-portata = You can assign applications only to the offices you work in.
persona-non-assegnabile = This person holds no operator or procedure manager role for that office: the application cannot be assigned to them.
nota-vuota = Write the note's text.
etichetta-non-valida = A label has 1 to 40 letters, digits, spaces or dashes.
uff-assegnazione = Assignment
uff-ufficio = Office
uff-nessun-ufficio = No office
uff-persona = Person
uff-nessuna-persona = Nobody
uff-assegna = Assign
uff-note = Internal notes
uff-note-aiuto = Notes are seen by staff only, never by the citizen.
uff-nuova-nota = New note
uff-aggiungi-nota = Add the note
uff-nessuna-nota = No notes.
uff-etichette = Labels
uff-nuova-etichetta = New label
uff-aggiungi-etichetta = Add
uff-togli-etichetta = Remove the label
uff-etichetta = Label
uff-tutte-le-etichette = All
uff-assegnata-a = Assigned to
uff-protocollazioni = Filings waiting
uff-filing-domanda = Application
uff-filing-comunicazione = Communication or reply
uff-riprova-avviata = The filing will be tried again now.
uff-nessuna-protocollazione-attesa = No filing is waiting: everything is registered.
uff-protocollazioni-didascalia = Filings not done yet, oldest first. They are retried by themselves; you can retry one at once.
uff-cosa = What
uff-tentativi = Attempts
uff-dal = Waiting since
uff-prossimo-tentativo = Next attempt
uff-ultimo-errore = Last error
uff-bloccata = stuck
uff-riprova-ora = Retry now
uff-vai-alle-code = Applications to handle
uff-vai-protocollazioni = Filings waiting
protocollazioni-per-responsabili = This page is for the administration's administrators and records managers.
ufficio-sconosciuto = No one works at that office: choose one of the administration's staff offices.
troppe-righe-foglio = Too many applications for a spreadsheet (100,000 at most): narrow the queue or download CSV or JSON, which have no limit.
uff-tutti-gli-stati = Every state
uff-assegnata-aiuto = The person's fiscal code.
uff-ricevuta-dal = Received from
uff-ricevuta-al = Received until
uff-registrazione = Protocol registration
uff-torna-alla-domanda = Back to the application
uff-registro = Register
uff-registrata-il = Registered on
uff-verso = Direction
uff-in-entrata = Incoming
uff-in-uscita = Outgoing
uff-interna = Internal
uff-oggetto = Subject
uff-classificazione = Classification
uff-documento-principale = Main document
uff-annullamento = Annulment
uff-registrazione-annullata = This registration is annulled. It stays in the register, with the annulment beside it.
uff-annullata-il = Annulled on
uff-atto-autorizzativo = Act authorising the annulment
uff-atto-aiuto = For example: Decision no. 12/2026 of 3 December 2026.
uff-motivo = Reason
uff-annullata-da = Annulled by
uff-annullamento-spiegazione = An annulment (art. 54 of DPR 445/2000) does not delete the registration: it leaves it in the register and notes beside it the act authorising it, the reason, who makes it and when. It cannot be undone.
uff-conferma-annullamento = I confirm that I annul this registration: it cannot be undone.
uff-annulla-registrazione = Annul the registration
uff-non-annullata = The registration is not annulled. The records manager can annul it.
uff-annullamento-registrato = Annulment recorded.
uff-annullata = annulled
annullamento-per-responsabili = Annulling a registration is for the administration's records manager.
annullamento-nel-sistema-protocollo = This administration's registrations are kept by its protocol system: annul them there.
annullamento-senza-motivo = Write the reason for the annulment.
annullamento-senza-atto = Write the act that authorises the annulment.
annullamento-troppo-lungo = The act can have at most 200 characters and the reason 2000.
registrazione-non-trovata = This registration is not in the register.
registrazione-gia-annullata = This registration is already annulled.
annullamento-da-confermare = Confirm the annulment by ticking the box: it cannot be undone.
uff-scegli = Choose
uff-scegli-domanda = Choose the application
uff-azioni-scelte = Actions on the applications chosen
uff-azioni-aiuto = Tick the applications, choose the action and fill in only the fields it needs: office and person to assign, label to add or remove it, event (with message and missing items when it asks for them) to record it, format to export. Each application is handled on its own, with the same rules as on its page.
uff-azione-assegna = Assign
uff-azione-aggiungi-etichetta = Add a label
uff-azione-togli-etichetta = Remove a label
uff-azione-evento = Record an event
uff-azione-esporta = Export the applications chosen
uff-evento = Event
uff-nessun-evento-scelto = No event
uff-esegui-azione = Do it to the applications chosen
uff-esito-azioni = What the action did
uff-esito-didascalia = What happened to each application chosen.
uff-esito = Outcome
uff-fatto = Done
uff-rifiutata = Not done
uff-torna-alla-coda = Back to the queue
uff-azioni-fatte = { $count ->
    [one] 1 application done,
   *[other] { $count } applications done,
}
uff-azioni-rifiutate = { $count ->
    [one] 1 not done.
   *[other] { $count } not done.
}
scegli-evento = Choose the event to record.
scegli-azione = Choose one of the actions listed.
scegli-almeno-una-domanda = Tick at least one application.
troppe-domande-scelte = You can choose at most 200 applications at a time.
