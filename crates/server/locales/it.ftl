# istanze: the texts of the citizen's pages and messages, in Italian.
# Italian is the source: every message id is here, and a message missing from another
# language's file is shown in Italian. Variables are { $name }; plurals use Fluent's selectors.
# Documents filed in the register, receipts and e-mails are Italian and do not come from here.

language-name = Italiano


## Layout.
vai-contenuto-principale = Vai al contenuto principale
ambiente-dimostrativo = Ambiente dimostrativo
identita-prova-nessun-valore-legale = identità di prova, nessun valore legale. Non inserire dati reali.
ambiente-prova = Ambiente di prova
sono-attivi-identity-provider-test = sono attivi identity provider di test.
esci = Esci
accedi = Accedi
istanze-online = Istanze online
menu-principale = Menu principale
servizi = Servizi
mie-domande = Le mie domande
servizi-online-cittadini-imprese = Servizi online per cittadini e imprese

## Catalogue.
servizi-online = Servizi online
presenta-tue-domande-all-ente = Presenta le tue domande all'ente senza recarti agli sportelli. Accedi con SPID o CIE, compila il modulo e ricevi subito la ricevuta con il numero di protocollo.
ufficio = Ufficio
accesso-richiesto-spid-livello = Accesso richiesto: SPID livello
o-cie = o CIE

## Login.
presentare-domanda-devi-identificarti-tua = Per presentare una domanda devi identificarti con la tua identità digitale: SPID, la Carta d'Identità Elettronica (CIE) o, se sei cittadino di un altro Paese europeo, eIDAS.
servizio-richiede-identita-digitale-livello = Il servizio richiede un'identità digitale di livello
o-superiore = o superiore
nessun-gestore-identita-spid-configurato = Nessun gestore di identità SPID è configurato.
entra-spid = Entra con SPID
scegli-tuo-gestore-identita-digitale = Scegli il tuo gestore di identità digitale:
maggiori-informazioni-su-spid = Maggiori informazioni su SPID
non-hai-spid = Non hai SPID?
carta-d-identita-elettronica = Carta d'Identità Elettronica
entra-cie = Entra con CIE
maggiori-informazioni-su-cie = Maggiori informazioni su CIE

## Service page.
ufficio-responsabile = Ufficio responsabile
come-si-presenta-domanda = Come si presenta la domanda
accedi-spid-cie-compila-modulo = Accedi con SPID o CIE, compila il modulo e invialo. Riceverai subito la ricevuta; il numero di protocollo arriva appena la domanda è registrata.
livello-spid-richiesto = Livello SPID richiesto
accedi-compilare-domanda = Accedi per compilare la domanda
domanda-non-inviata-campi = La domanda non è stata inviata: correggi { $count ->
    [one] 1 campo
   *[other] { $count } campi
}
bozza-salvata = Bozza salvata.
ritrovi-qui = La ritrovi qui e in
anche-altro-dispositivo = anche da un altro dispositivo.
stai-riprendendo-bozza-salvata = Stai riprendendo la bozza salvata il
campi-contrassegnati = I campi contrassegnati da
asterisco = asterisco
sono-obbligatori = sono obbligatori.
passi-domanda = Passi della domanda
passo-di = Passo { $n } di { $total }
dato-verificato = Dato verificato
file-caricato = File caricato:
puoi-sceglierne-altro-sostituirlo = Puoi sceglierne un altro per sostituirlo.
seleziona-opzione = Seleziona un'opzione
controlla-invia = Controlla e invia
avanti = Avanti
indietro = Indietro
invia-domanda = Invia la domanda
salva-come-bozza = Salva come bozza
elimina-bozza-ricomincia = Elimina la bozza e ricomincia

## Summary before the final submit.
controlla-domanda-prima-inviarla = Controlla la domanda prima di inviarla
questo-riepilogo-quanto-hai-inserito = Questo è il riepilogo di quanto hai inserito. Se qualcosa non va, modificalo: le risposte restano salvate nella bozza.
nessuna-risposta = Nessuna risposta.
modifica = Modifica

## Receipt.
ricevuta = Ricevuta
ricevuta-domanda = Ricevuta della domanda
domanda-ricevuta-protocollazione-corso = Domanda ricevuta: protocollazione in corso.
domanda-stata-salvata-non-andra = La domanda è stata salvata e non andrà persa. Il numero di protocollo comparirà in questa pagina appena la registrazione sarà completata.
domanda-protocollata = Domanda protocollata
con-numero = con numero
del-data = del
servizio = Servizio
oggetto = Oggetto
presentata-il = Presentata il
codice-domanda = Codice della domanda
impronta-documento-sha-256 = Impronta del documento (SHA-256)
ufficio-protocollo = Ufficio protocollo
segnatura = Segnatura
documenti = Documenti
documento-domanda-pdf = Documento della domanda (PDF)
ricevuta-pdf = Ricevuta (PDF)
cosa-succede-adesso = Cosa succede adesso
aggiorna-pagina = Aggiorna la pagina
l-ufficio-esamina-domanda-potrai = L'ufficio esamina la domanda. Potrai seguirne lo stato nella pagina
protocollo-numero-data = N. { $n } del { $date }
data-alle-ora = { $date } alle { $time }
in-corso = In corso
registrata-dall-ufficio-protocollo-dell = Registrata dall'ufficio protocollo dell'ente con numero { $n } del { $date }.
registrazione-n-dell-ufficio-protocollo = La registrazione n. { $n } del { $date } dell'ufficio protocollo dell'ente è stata annullata; l'ufficio ti contatterà.
l-ufficio-protocollo-dell-ente = L'ufficio protocollo dell'ente ha segnalato un problema ({ $reason }); l'ufficio ti contatterà.
inviata-all-ufficio-protocollo-dell = Inviata all'ufficio protocollo dell'ente; in attesa della conferma di ricezione.
invio-all-ufficio-protocollo-dell = In invio all'ufficio protocollo dell'ente.

## My applications.
bozze = Bozze
domande-iniziate-non-ancora-inviate = Domande iniziate e non ancora inviate
salvata-il = Salvata il
scade-il = Scade il
azione = Azione
riprendi = Riprendi
la-bozza-di = la bozza di
domande-presentate = Domande presentate
non-hai-ancora-presentato-domande = Non hai ancora presentato domande.
vai-ai-servizi = Vai ai servizi
domande-presentate-dalla-piu-recente = Domande presentate, dalla più recente
protocollo = Protocollo
apri-ricevuta = Apri la ricevuta
della-domanda-del = della domanda del

## Errors.
codice-riferimento = Codice di riferimento
torna-ai-servizi = Torna ai servizi
accesso-richiesto = Accesso richiesto
accesso-non-consentito = Accesso non consentito
pagina-non-trovata = Pagina non trovata
dati-non-validi = Dati non validi
servizio-momentaneamente-non-disponibile = Servizio momentaneamente non disponibile
richiesta-non-valida = Richiesta non valida
errore-imprevisto = Errore imprevisto
questo-servizio-richiede-livello-sicurezza = Questo servizio richiede un livello di sicurezza SPID più alto di quello usato per l'accesso. Accedi di nuovo con il livello richiesto.
richiesta-accesso-scaduta-gia-stata = La richiesta di accesso è scaduta o è già stata usata. Torna alla pagina del servizio e accedi di nuovo.
risposta-gestore-dell-identita-non = La risposta del gestore dell'identità non è leggibile. Riprova ad accedere.
servizio-accesso-non-disponibile-questo = Il servizio di accesso non è disponibile in questo momento. Riprova più tardi.
non-stato-possibile-verificare-l = Non è stato possibile verificare l'accesso: la risposta del gestore dell'identità non è valida. Riprova ad accedere.
pagina-domanda-richiesta-non-esiste = La pagina o la domanda richiesta non esiste.
continuare-devi-accedere-spid-cie = Per continuare devi accedere con SPID o CIE.
quest-area-riservata-personale-dell = Quest'area è riservata al personale dell'ente. Per le tue domande vai alla pagina Le mie domande.
non-risulti-personale-ente = Non risulti tra il personale abilitato di questo ente. Se ne fai parte, chiedi a un amministratore dell'ente di assegnarti un ruolo.
personale-accede-con-codice-fiscale = L'area del personale è per chi ha un codice fiscale italiano: accedi con SPID o CIE.
personale = personale
area-del-personale = Area del personale
i-tuoi-ruoli-in-questo-ente = I tuoi ruoli in questo ente
ruolo = Ruolo
ambito = Ambito
tutto-l-ente = Tutto l'ente
ruolo-amministratore = Amministratore
ruolo-progettista = Progettista dei moduli
ruolo-operatore = Operatore d'ufficio
ruolo-responsabile = Responsabile del procedimento
ruolo-protocollista = Responsabile del protocollo
ruolo-revisore = Revisore (sola lettura)
decisione-spetta-responsabile = La decisione spetta al responsabile del procedimento: il tuo ruolo non la consente.
azione-spetta-operatore = Questa azione spetta a un operatore d'ufficio o al responsabile del procedimento.
evento-spetta-cittadino = Questa comunicazione la invia il cittadino, non l'ufficio.
evento-non-possibile-stato = Questa azione non è possibile nello stato in cui si trova la domanda.
osservazioni-ancora-possibili = Il cittadino può ancora presentare osservazioni: i dieci giorni dal preavviso di rigetto non sono trascorsi.
silenzio-assenso-non-previsto = Per questo servizio non è previsto il silenzio-assenso.
termine-non-ancora-scaduto = Il termine del procedimento non è ancora scaduto: il silenzio-assenso non si è formato.
evento-prima-del-precedente = Un evento non può avere una data precedente all'ultimo registrato.
serve-messaggio-cittadino = Scrivi al cittadino le ragioni o che cosa manca: questa comunicazione non può essere vuota.
domanda-cambiata-nel-frattempo = Nel frattempo la domanda è stata aggiornata da un'altra persona: ricarica la pagina e riprova.
serve-elenco-integrazione = Scrivi che cosa deve inviare il cittadino, una voce per riga: una richiesta di integrazione senza voci non si può inviare.
termine-risposta-non-valido = La data entro cui rispondere deve essere dopo oggi e non oltre trenta giorni (art. 2, comma 7, legge 241/1990).
troppi-documenti-risposta = Puoi allegare al massimo { $max } documenti a una risposta.
risposta-vuota = Scrivi un messaggio o allega almeno un documento prima di inviare la risposta.
uff-domanda = Domanda
uff-code = Code di lavoro
coda-da-prendere = Da prendere in carico
coda-mie = Assegnate a me
coda-in-attesa-del-cittadino = In attesa del cittadino
coda-in-scadenza = In scadenza
coda-decise = Concluse
uff-servizio = Servizio
uff-tutti-i-servizi = Tutti i servizi
uff-filtra = Filtra
uff-nessuna-domanda = Nessuna domanda in questa coda.
uff-domande-in-coda = { $count ->
    [one] 1 domanda, dal termine più vicino
   *[other] { $count } domande, dal termine più vicino
}
uff-stato = Stato
uff-termine = Termine
uff-pagine = Pagine
uff-pagina-precedente = Pagina precedente
uff-pagina-successiva = Pagina successiva
uff-torna-alle-code = Torna alle code di lavoro
uff-versione = versione
uff-termine-sospeso = sospeso
uff-giorni-rimanenti = { $count ->
    [one] 1 giorno rimasto
   *[other] { $count } giorni rimasti
}
uff-prossime-azioni = Prossime azioni
uff-azione = Azione
uff-messaggio = Messaggio al cittadino
uff-messaggio-aiuto = Per una richiesta di integrazione scrivi che cosa manca; per un preavviso di rigetto o un rigetto scrivi le ragioni.
uff-registra = Registra
uff-cronologia = Cronologia
uff-nessun-evento = Nessun evento: la domanda è stata ricevuta e protocollata.
uff-risposte = Risposte del cittadino
stato-ricevuta = Ricevuta
stato-presa-in-carico = Presa in carico
stato-in-istruttoria = In istruttoria
stato-attesa-integrazione = In attesa di integrazione
stato-integrazione-ricevuta = Integrazione ricevuta
stato-attesa-osservazioni = In attesa di osservazioni
stato-osservazioni-ricevute = Osservazioni ricevute
stato-accolta = Accolta
stato-respinta = Respinta
stato-ritirata = Ritirata
stato-archiviata = Archiviata senza seguito
stato-silenzio-assenso = Accolta per silenzio-assenso
evento-avvio = Presa in carico e avvio del procedimento
evento-istruttoria = Avvio dell'istruttoria
evento-richiesta-integrazione = Richiesta di integrazione
evento-integrazione = Integrazione del cittadino
evento-preavviso-rigetto = Preavviso di rigetto
evento-osservazioni = Osservazioni del cittadino
evento-accoglimento = Accoglimento
evento-rigetto = Rigetto
evento-ritiro = Ritiro della domanda
evento-archiviazione = Archiviazione senza seguito
evento-silenzio-assenso = Silenzio-assenso
richiesta-non-proviene-pagina-questo = La richiesta non proviene da una pagina di questo servizio ed è stata rifiutata. Ricarica la pagina e riprova.
richiesta-non-valida-2 = La richiesta non è valida.
questo-codice-domanda-gia-stato = Questo codice di domanda è già stato usato per un'altra domanda.
un-allegato-fa-gia-parte = Uno dei file allegati fa già parte di un'altra domanda: allegalo di nuovo e invia.
dati-inviati-superano-dimensione-massima = I dati inviati superano la dimensione massima consentita.
formato-dati-inviati-non-supportato = Il formato dei dati inviati non è supportato.
alcuni-dati-non-sono-corretti = Alcuni dati non sono corretti: controlla i campi indicati.
servizio-molto-richiesto-questo-momento = Il servizio è molto richiesto in questo momento e non ha potuto rispondere. Riprova tra qualche istante: i dati già inviati non sono andati persi.
troppe-richieste-riprova-tra = Troppe richieste da questo indirizzo in poco tempo. Riprova tra { $seconds ->
    [one] 1 secondo
   *[other] { $seconds } secondi
}.
troppe-richieste = Troppe richieste
modalita-dimostrativa-accesso-consentito-solo = Modalità dimostrativa: accesso consentito solo dalla macchina locale, non attraverso un proxy.
servizio-momentaneamente-non-disponibile-dati = Il servizio è momentaneamente non disponibile. I dati già inviati non sono andati persi: riprova tra qualche minuto.
si-verificato-errore-imprevisto-riprova = Si è verificato un errore imprevisto. Riprova più tardi; se il problema continua, comunica il codice di riferimento all'ufficio.
accesso-non-riuscito-hai-superato = Accesso non riuscito: hai superato il numero di tentativi consentiti. Riprova più tardi.
accesso-non-riuscito-non-hai = Accesso non riuscito: non hai credenziali adatte al livello di sicurezza richiesto dal servizio.
accesso-non-riuscito-tempo-disposizione = Accesso non riuscito: il tempo a disposizione per l'autenticazione è scaduto. Riprova.
accesso-non-riuscito-hai-negato = Accesso non riuscito: hai negato il consenso all'invio dei dati al servizio.
accesso-non-riuscito-tua-identita = Accesso non riuscito: la tua identità digitale risulta sospesa o revocata. Contatta il tuo gestore dell'identità.
accesso-annullato-hai-interrotto-procedura = Accesso annullato: hai interrotto la procedura di autenticazione.
accesso-non-riuscito-gestore-dell = Accesso non riuscito: il gestore dell'identità ha rifiutato l'autenticazione.
modulo-inviato-non-leggibile-riprova = Il modulo inviato non è leggibile: riprova.
dati-domanda-devono-essere-oggetto = I dati della domanda devono essere un oggetto JSON.
richiesta-multipart-non-valida = Richiesta multipart non valida.
parte-data-compare-piu-volta = La parte "data" compare più di una volta.
parte-data-non-json-valido = La parte "data" non è un JSON valido.
nome-file-non-testo-valido = Il nome del file non è un testo valido.
manca-parte-data-dati-domanda = Manca la parte "data" con i dati della domanda.
parte-data-deve-essere-oggetto = La parte "data" deve essere un oggetto JSON.
campo-ha-piu-file = Il campo { $name } ha più di un file.
l-allegato-non-piu-disponibile = L'allegato non è più disponibile: caricalo di nuovo.

## Demo identity provider.
identity-provider-dimostrativo = Identity provider dimostrativo
scegli-cittadino-prova-risposta-sara = Scegli un cittadino di prova. La risposta sarà firmata con la chiave del gestore dimostrativo e verificata dal servizio come una risposta SPID reale.
cittadino-prova = Cittadino di prova
accedi-come-questo-cittadino = Accedi come questo cittadino
ritorno-servizio = Ritorno al servizio
se-pagina-non-prosegue-sola = Se la pagina non prosegue da sola, premi il pulsante.
continua = Continua
parte-sconosciuta = Parte sconosciuta { $name }: i file vanno nelle parti nominate con il puntatore JSON di un campo allegato del modulo.
modulo = Modulo

## Files refused next to their field ($max: a size such as "10 MB"; $accepted: the types)
allegato-vuoto = Il file è vuoto: scegli il file da allegare.
allegato-troppo-grande = Il file è troppo grande: il massimo è { $max }. Riducine le dimensioni e caricalo di nuovo.
allegato-tipo-non-accettato = Il file non è di un tipo accettato: sono accettati { $accepted }. Il tipo si riconosce dal contenuto del file, non dal nome.
allegato-infetto = Il controllo antivirus ha trovato un problema in questo file: non è stato accettato.
allegato-antivirus-non-disponibile = Il controllo antivirus non è disponibile in questo momento: riprova tra qualche minuto.
allegato-troppo-grande-per-antivirus = Il file è più grande di quanto il controllo antivirus possa esaminare: riducine le dimensioni e caricalo di nuovo.
allegati-limite-non-inviati = I tuoi file non ancora inviati raggiungono già il limite di { $max }: invia o elimina le bozze, oppure riprova tra qualche giorno.
allegati-totale-troppo-grande = Gli allegati della domanda superano insieme il massimo di { $max }.
allegato-interrotto = Il caricamento del file si è interrotto: caricalo di nuovo.
allegato-nome-non-ammesso = Il nome del file contiene caratteri non ammessi (ad esempio caratteri di controllo): rinomina il file e caricalo di nuovo.
tipo-p7m = P7M (firmato digitalmente)
ufficio-chiede-integrazione = L'ufficio ti chiede di integrare la domanda
ufficio-preavviso-rigetto = Preavviso di rigetto: puoi presentare osservazioni
rispondi-entro = Rispondi entro il
cosa-inviare = Cosa inviare:
documenti-da-inviare = Documenti da inviare
documenti-risposta-aiuto = PDF, PDF firmato (p7m), JPEG o PNG; fino a 10 MB ciascuno e fino a 10 documenti.
messaggio-ufficio = Messaggio per l'ufficio (facoltativo se alleghi documenti)
invia-risposta = Invia la risposta
stato-pratica = Stato della pratica
nessuna-comunicazione = Nessuna comunicazione finora.
inviata-da-te = inviata da te
scarica-documento-pdf = Scarica il documento (PDF)
rinuncia-domanda = Rinuncia alla domanda
motivo-rinuncia = Motivo (facoltativo)
conferma-rinuncia = Rinuncio alla domanda
protocollazione-in-corso = protocollazione in corso
tipo-risposta-non-valido = Tipo di risposta non valido: usa integration, observations o withdrawal.
uff-fascicolo = Fascicolo
uff-per-richiesta-integrazione = Per una richiesta di integrazione
uff-voci-integrazione = Che cosa deve inviare il cittadino (una voce per riga)
uff-voci-integrazione-aiuto = Indica ogni documento o dato mancante su una riga: il cittadino li vedrà elencati così.
uff-entro = Entro il
uff-entro-aiuto = Facoltativo: se vuoto, trenta giorni da oggi (il massimo della sospensione, art. 2 c. 7).
uff-allegati = Allegati della domanda
uff-esporta = Esporta questa coda
uff-formato = Formato del file
uff-colonne-risposte = Risposte da includere
uff-scegli-servizio-colonne = Scegli un servizio nel filtro per includere anche le risposte del modulo.
uff-scarica = Scarica
ufficio-fuori-portata = Puoi assegnare le domande solo agli uffici in cui operi.
persona-non-assegnabile = Questa persona non ha un ruolo di operatore o di responsabile per quell'ufficio: non le si può assegnare la domanda.
nota-vuota = Scrivi il testo della nota.
etichetta-non-valida = Un'etichetta ha da 1 a 40 lettere, cifre, spazi o trattini.
uff-assegnazione = Assegnazione
uff-ufficio = Ufficio
uff-nessun-ufficio = Nessun ufficio
uff-persona = Persona
uff-nessuna-persona = Nessuna persona
uff-assegna = Assegna
uff-note = Note interne
uff-note-aiuto = Le note sono visibili solo al personale, mai al cittadino.
uff-nuova-nota = Nuova nota
uff-aggiungi-nota = Aggiungi la nota
uff-nessuna-nota = Nessuna nota.
uff-etichette = Etichette
uff-nuova-etichetta = Nuova etichetta
uff-aggiungi-etichetta = Aggiungi
uff-togli-etichetta = Togli l'etichetta
uff-etichetta = Etichetta
uff-tutte-le-etichette = Tutte
uff-assegnata-a = Assegnata a
uff-protocollazioni = Protocollazioni in attesa
uff-filing-domanda = Domanda
uff-filing-comunicazione = Comunicazione o risposta
uff-riprova-avviata = La protocollazione sarà ritentata adesso.
uff-nessuna-protocollazione-attesa = Nessuna protocollazione in attesa: tutto è protocollato.
uff-protocollazioni-didascalia = Protocollazioni non ancora riuscite, dalla più vecchia. Vengono ritentate da sole; puoi ritentarne una subito.
uff-cosa = Cosa
uff-tentativi = Tentativi
uff-dal = In attesa dal
uff-prossimo-tentativo = Prossimo tentativo
uff-ultimo-errore = Ultimo errore
uff-bloccata = bloccata
uff-riprova-ora = Riprova ora
uff-vai-alle-code = Domande da trattare
uff-vai-protocollazioni = Protocollazioni in attesa
protocollazioni-per-responsabili = Questa pagina è per gli amministratori e i responsabili della gestione documentale dell'ente.
ufficio-sconosciuto = Nessuno lavora in quell'ufficio: scegli un ufficio tra quelli del personale dell'ente.
troppe-righe-foglio = Troppe domande per un foglio di calcolo (al massimo 100.000): restringi la coda o scarica in CSV o JSON, che non hanno limite.
uff-tutti-gli-stati = Tutti gli stati
uff-assegnata-aiuto = Il codice fiscale della persona.
uff-ricevuta-dal = Ricevuta dal
uff-ricevuta-al = Ricevuta fino al
uff-registrazione = Registrazione di protocollo
uff-torna-alla-domanda = Torna alla domanda
uff-registro = Registro
uff-registrata-il = Registrata il
uff-verso = Verso
uff-in-entrata = In entrata
uff-in-uscita = In uscita
uff-interna = Interna
uff-oggetto = Oggetto
uff-classificazione = Classificazione
uff-documento-principale = Documento principale
uff-annullamento = Annullamento
uff-registrazione-annullata = Questa registrazione è annullata. Resta nel registro, con l'annullamento accanto.
uff-annullata-il = Annullata il
uff-atto-autorizzativo = Atto che autorizza l'annullamento
uff-atto-aiuto = Per esempio: Provvedimento n. 12/2026 del 3 dicembre 2026.
uff-motivo = Motivo
uff-annullata-da = Annullata da
uff-annullamento-spiegazione = L'annullamento (art. 54 del DPR 445/2000) non cancella la registrazione: la lascia nel registro e vi annota l'atto che lo autorizza, il motivo, chi lo fa e quando. Non si può revocare.
uff-conferma-annullamento = Confermo di annullare questa registrazione: non si potrà revocare.
uff-annulla-registrazione = Annulla la registrazione
uff-non-annullata = La registrazione non è annullata. Può annullarla il responsabile della gestione documentale.
uff-annullamento-registrato = Annullamento registrato.
uff-annullata = annullata
annullamento-per-responsabili = Annullare una registrazione spetta al responsabile della gestione documentale dell'ente.
annullamento-nel-sistema-protocollo = Le registrazioni di questo ente sono tenute dal suo sistema di protocollo: l'annullamento si fa lì.
annullamento-senza-motivo = Scrivi il motivo dell'annullamento.
annullamento-senza-atto = Scrivi l'atto che autorizza l'annullamento.
annullamento-troppo-lungo = L'atto può avere al massimo 200 caratteri e il motivo 2000.
registrazione-non-trovata = Nel registro non c'è questa registrazione.
registrazione-gia-annullata = Questa registrazione è già annullata.
annullamento-da-confermare = Conferma l'annullamento spuntando la casella: non si potrà revocare.
uff-scegli = Scegli
uff-scegli-domanda = Scegli la domanda
uff-azioni-scelte = Azioni sulle domande scelte
uff-azioni-aiuto = Spunta le domande, scegli l'azione e compila solo i campi che le servono: ufficio e persona per assegnare, etichetta per aggiungerla o toglierla, evento (con messaggio ed elementi mancanti quando li chiede) per registrarlo, formato per esportare. Ogni domanda è trattata da sola, con le stesse regole della sua pagina.
uff-azione-assegna = Assegna
uff-azione-aggiungi-etichetta = Aggiungi un'etichetta
uff-azione-togli-etichetta = Togli un'etichetta
uff-azione-evento = Registra un evento
uff-azione-esporta = Esporta le domande scelte
uff-evento = Evento
uff-nessun-evento-scelto = Nessun evento
uff-esegui-azione = Esegui sulle domande scelte
uff-esito-azioni = Esito dell'azione
uff-esito-didascalia = Che cosa è successo a ciascuna domanda scelta.
uff-esito = Esito
uff-fatto = Fatto
uff-rifiutata = Non fatto
uff-torna-alla-coda = Torna alla coda
uff-azioni-fatte = { $count ->
    [one] 1 domanda fatta,
   *[other] { $count } domande fatte,
}
uff-azioni-rifiutate = { $count ->
    [one] 1 non fatta.
   *[other] { $count } non fatte.
}
scegli-evento = Scegli l'evento da registrare.
scegli-azione = Scegli un'azione tra quelle dell'elenco.
scegli-almeno-una-domanda = Spunta almeno una domanda.
troppe-domande-scelte = Puoi scegliere al massimo 200 domande per volta.
credenziale-non-valida = Credenziale non valida, scaduta o revocata.
credenziale-senza-nome = Dai alla credenziale un nome da 1 a 60 caratteri, per riconoscerla.
credenziale-senza-ruoli = Scegli almeno uno dei tuoi ruoli per la credenziale.
credenziale-ruolo-non-tuo = Una credenziale può avere solo ruoli che hai in questo ente.
credenziale-durata = Un token personale dura da 1 a 365 giorni.
cred-titolo = Credenziali per l'API
cred-vai = Credenziali per l'API (token personali e client OAuth2)
cred-spiegazione = Un'altra applicazione dell'ente può usare l'API dell'ufficio a tuo nome: con un token personale, o come client OAuth2 che chiede un token di accesso di un'ora. Agisce con i ruoli che scegli tra i tuoi e perde quelli che ti vengono tolti. Ogni sua richiesta è registrata nel registro delle attività a tuo nome.
cred-revocata = Credenziale revocata: da ora è rifiutata.
cred-creata = Credenziale creata. Copiala ora: non verrà più mostrata.
cred-endpoint = Chiedi il token di accesso (grant_type=client_credentials) a
cred-token = Token (usalo come Authorization: Bearer)
cred-nessuna = Non hai credenziali.
cred-didascalia = Le tue credenziali, dalla più recente.
cred-nome = Nome
cred-tipo = Tipo
cred-ruoli = Ruoli
cred-creata-il = Creata il
cred-scade = Scade
cred-mai = Non scade (si revoca)
cred-non-attiva = Revocata o scaduta
cred-revoca = Revoca
cred-nuova = Nuova credenziale
cred-personale = Token personale
cred-client = Client OAuth2
cred-personale-spiegato = Token personale: si usa così com'è, fino alla scadenza.
cred-client-spiegato = Client OAuth2 (client credentials): chiede token di accesso di un'ora.
cred-nome-aiuto = Per riconoscerla: per esempio il nome dell'applicazione che la usa.
cred-giorni = Durata in giorni (token personale)
cred-giorni-aiuto = Da 1 a 365.
cred-crea = Crea la credenziale
