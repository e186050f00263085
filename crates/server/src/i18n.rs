//! The language of each request and the English texts of the pages and messages.
//!
//! Pages and messages are written in Italian, the administration's language; English comes
//! from a catalogue keyed by the Italian text (as gettext does), so a text without a
//! translation still reads in Italian rather than breaking. A test checks that every text the
//! templates pass to `t(...)` has its English. The language is chosen per request (`?lang=en`,
//! remembered in a cookie, else `Accept-Language`) and held in a task-local for the duration of
//! the request, so that error pages and messages built deep inside follow it too. Documents
//! filed in the register, receipts in PDF and e-mails stay Italian.

use std::collections::HashMap;
use std::sync::LazyLock;

pub use istanze_forms::Lang;

/// The cookie that remembers a language chosen with `?lang=`.
pub const COOKIE: &str = "istanze_lang";

tokio::task_local! {
    static LANG: Lang;
}

/// Runs `f` with `lang` as the language of the request.
pub async fn scope<F: std::future::Future>(lang: Lang, f: F) -> F::Output {
    LANG.scope(lang, f).await
}

/// The language of the request being served (Italian outside a request).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

/// The Italian text `it` in the current language.
pub fn tr(it: &str) -> String {
    tr_in(current(), it)
}

/// The Italian text `it` in `lang`.
pub fn tr_in(lang: Lang, it: &str) -> String {
    match lang {
        Lang::It => it.to_owned(),
        Lang::En => EN
            .get(it)
            .map_or_else(|| it.to_owned(), |t| (*t).to_owned()),
    }
}

/// [`tr`] of a text with `{name}` placeholders, then the placeholders filled.
pub fn trf(it: &str, args: &[(&str, &str)]) -> String {
    let mut out = tr(it);
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

static EN: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| ENGLISH.iter().copied().collect());

/// (Italian, English).
const ENGLISH: &[(&str, &str)] = &[
    // Layout.
    ("Vai al contenuto principale", "Skip to main content"),
    ("Ambiente dimostrativo", "Demonstration environment"),
    (
        "identità di prova, nessun valore legale. Non inserire dati reali.",
        "test identities, no legal value. Do not enter real data.",
    ),
    ("Ambiente di prova", "Test environment"),
    (
        "sono attivi identity provider di test.",
        "test identity providers are active.",
    ),
    ("Esci", "Log out"),
    ("Accedi", "Log in"),
    ("Istanze online", "Online applications"),
    ("Menu principale", "Main menu"),
    ("Servizi", "Services"),
    ("Le mie domande", "My applications"),
    (
        "Servizi online per cittadini e imprese",
        "Online services for citizens and businesses",
    ),
    // Catalogue.
    ("Servizi online", "Online services"),
    (
        "Presenta le tue domande all'ente senza recarti agli sportelli. Accedi con SPID o CIE, compila il modulo e ricevi subito la ricevuta con il numero di protocollo.",
        "Send your applications to the administration without going to its offices. Log in with SPID or CIE, fill in the form and get the receipt with the registration number straight away.",
    ),
    ("Ufficio", "Office"),
    ("Accesso richiesto: SPID livello", "Login required: SPID level"),
    ("o CIE", "or CIE"),
    // Login.
    (
        "Per presentare una domanda devi identificarti con la tua identità digitale: SPID, la Carta d'Identità Elettronica (CIE) o, se sei cittadino di un altro Paese europeo, eIDAS.",
        "To send an application you need to identify yourself with your digital identity: SPID, the Italian electronic identity card (CIE) or, if you are a citizen of another European country, eIDAS.",
    ),
    (
        "Il servizio richiede un'identità digitale di livello",
        "This service needs a digital identity of level",
    ),
    ("o superiore", "or higher"),
    (
        "Nessun gestore di identità SPID è configurato.",
        "No SPID identity provider is configured.",
    ),
    ("Entra con SPID", "Log in with SPID"),
    (
        "Scegli il tuo gestore di identità digitale:",
        "Choose your digital identity provider:",
    ),
    ("Maggiori informazioni su SPID", "More about SPID"),
    ("Non hai SPID?", "No SPID yet?"),
    ("Carta d'Identità Elettronica", "Electronic identity card (CIE)"),
    ("Entra con CIE", "Log in with CIE"),
    ("Maggiori informazioni su CIE", "More about CIE"),
    // Service page.
    ("Ufficio responsabile", "Office in charge"),
    ("Come si presenta la domanda", "How to apply"),
    (
        "Accedi con SPID o CIE, compila il modulo e invialo. Riceverai subito la ricevuta; il numero di protocollo arriva appena la domanda è registrata.",
        "Log in with SPID or CIE, fill in the form and send it. You get the receipt straight away; the registration number follows as soon as the application is registered.",
    ),
    ("Livello SPID richiesto", "SPID level required"),
    (
        "Accedi per compilare la domanda",
        "Log in to fill in the application",
    ),
    (
        "La domanda non è stata inviata: correggi",
        "The application was not sent: correct",
    ),
    ("campo", "field"),
    ("campi", "fields"),
    ("Bozza salvata.", "Draft saved."),
    (
        "La ritrovi qui e in",
        "You will find it here and in",
    ),
    (
        "anche da un altro dispositivo.",
        "also from another device.",
    ),
    (
        "Stai riprendendo la bozza salvata il",
        "You are resuming the draft saved on",
    ),
    (
        "I campi contrassegnati da",
        "Fields marked with",
    ),
    ("asterisco", "asterisk"),
    ("sono obbligatori.", "are required."),
    ("Passi della domanda", "Steps of the application"),
    ("Passo", "Step"),
    ("di", "of"),
    ("Dato verificato", "Verified"),
    ("File caricato:", "File uploaded:"),
    (
        "Puoi sceglierne un altro per sostituirlo.",
        "You can choose another one to replace it.",
    ),
    ("Seleziona un'opzione", "Select an option"),
    ("Controlla e invia", "Check and send"),
    ("Avanti", "Next"),
    ("Indietro", "Back"),
    ("Invia la domanda", "Send the application"),
    ("Salva come bozza", "Save as draft"),
    (
        "Elimina la bozza e ricomincia",
        "Delete the draft and start again",
    ),
    // Summary before the final submit.
    (
        "Controlla la domanda prima di inviarla",
        "Check the application before sending it",
    ),
    (
        "Questo è il riepilogo di quanto hai inserito. Se qualcosa non va, modificalo: le risposte restano salvate nella bozza.",
        "This is a summary of what you entered. If something is wrong, change it: your answers stay saved in the draft.",
    ),
    ("Nessuna risposta.", "No answers."),
    ("Modifica", "Change"),
    // Receipt.
    ("Ricevuta", "Receipt"),
    ("Ricevuta della domanda", "Receipt of the application"),
    (
        "Domanda ricevuta: protocollazione in corso.",
        "Application received: registration in progress.",
    ),
    (
        "La domanda è stata salvata e non andrà persa. Il numero di protocollo comparirà in questa pagina appena la registrazione sarà completata.",
        "The application has been saved and will not be lost. The registration number will appear on this page as soon as the registration is complete.",
    ),
    ("Domanda protocollata", "Application registered"),
    ("con numero", "with number"),
    ("del", "of"),
    ("Servizio", "Service"),
    ("Oggetto", "Subject"),
    ("Presentata il", "Sent on"),
    ("Codice della domanda", "Application code"),
    (
        "Impronta del documento (SHA-256)",
        "Document fingerprint (SHA-256)",
    ),
    ("Ufficio protocollo", "Registry office"),
    ("Segnatura", "Registration mark"),
    ("Documenti", "Documents"),
    (
        "Documento della domanda (PDF)",
        "Application document (PDF, in Italian)",
    ),
    ("Ricevuta (PDF)", "Receipt (PDF, in Italian)"),
    ("Cosa succede adesso", "What happens next"),
    ("Aggiorna la pagina", "Refresh the page"),
    (
        "L'ufficio esamina la domanda. Potrai seguirne lo stato nella pagina",
        "The office examines the application. You can follow it on the page",
    ),
    ("N. {n} del {date}", "No. {n} of {date}"),
    ("{date} alle {time}", "{date} at {time}"),
    ("In corso", "In progress"),
    (
        "Registrata dall'ufficio protocollo dell'ente con numero {n} del {date}.",
        "Registered by the administration's registry office with number {n} of {date}.",
    ),
    (
        "La registrazione n. {n} del {date} dell'ufficio protocollo dell'ente è stata annullata; l'ufficio ti contatterà.",
        "Registration no. {n} of {date} by the administration's registry office was cancelled; the office will contact you.",
    ),
    (
        "L'ufficio protocollo dell'ente ha segnalato un problema ({reason}); l'ufficio ti contatterà.",
        "The administration's registry office reported a problem ({reason}); the office will contact you.",
    ),
    (
        "Inviata all'ufficio protocollo dell'ente; in attesa della conferma di ricezione.",
        "Sent to the administration's registry office; waiting for its confirmation of receipt.",
    ),
    (
        "In invio all'ufficio protocollo dell'ente.",
        "Being sent to the administration's registry office.",
    ),
    // My applications.
    ("Bozze", "Drafts"),
    (
        "Domande iniziate e non ancora inviate",
        "Applications started and not sent yet",
    ),
    ("Salvata il", "Saved on"),
    ("Scade il", "Expires on"),
    ("Azione", "Action"),
    ("Riprendi", "Resume"),
    ("la bozza di", "the draft of"),
    ("Domande presentate", "Applications sent"),
    (
        "Non hai ancora presentato domande.",
        "You have not sent any application yet.",
    ),
    ("Vai ai servizi", "Go to the services"),
    (
        "Domande presentate, dalla più recente",
        "Applications sent, most recent first",
    ),
    ("Protocollo", "Registration"),
    ("Apri la ricevuta", "Open the receipt"),
    ("della domanda del", "of the application of"),
    // Errors.
    ("Codice di riferimento", "Reference code"),
    ("Torna ai servizi", "Back to the services"),
    ("Accesso richiesto", "Login required"),
    ("Accesso non consentito", "Access not allowed"),
    ("Pagina non trovata", "Page not found"),
    ("Dati non validi", "Invalid data"),
    (
        "Servizio momentaneamente non disponibile",
        "Service temporarily unavailable",
    ),
    ("Richiesta non valida", "Invalid request"),
    ("Errore imprevisto", "Unexpected error"),
    (
        "Questo servizio richiede un livello di sicurezza SPID più alto di quello usato per l'accesso. Accedi di nuovo con il livello richiesto.",
        "This service needs a higher SPID security level than the one you logged in with. Log in again with the level required.",
    ),
    (
        "La richiesta di accesso è scaduta o è già stata usata. Torna alla pagina del servizio e accedi di nuovo.",
        "The login request has expired or was already used. Go back to the service page and log in again.",
    ),
    (
        "La risposta del gestore dell'identità non è leggibile. Riprova ad accedere.",
        "The identity provider's answer cannot be read. Try to log in again.",
    ),
    (
        "Il servizio di accesso non è disponibile in questo momento. Riprova più tardi.",
        "The login service is not available right now. Try again later.",
    ),
    (
        "Non è stato possibile verificare l'accesso: la risposta del gestore dell'identità non è valida. Riprova ad accedere.",
        "The login could not be verified: the identity provider's answer is not valid. Try to log in again.",
    ),
    (
        "La pagina o la domanda richiesta non esiste.",
        "The page or application you asked for does not exist.",
    ),
    (
        "Per continuare devi accedere con SPID o CIE.",
        "To continue, log in with SPID or CIE.",
    ),
    (
        "Quest'area è riservata al personale dell'ente. Per le tue domande vai alla pagina Le mie domande.",
        "This area is for the administration's staff. For your applications go to My applications.",
    ),
    (
        "La richiesta non proviene da una pagina di questo servizio ed è stata rifiutata. Ricarica la pagina e riprova.",
        "The request did not come from a page of this service and was refused. Reload the page and try again.",
    ),
    ("La richiesta non è valida.", "The request is not valid."),
    (
        "Questo codice di domanda è già stato usato per un'altra domanda.",
        "This application code was already used for another application.",
    ),
    (
        "I dati inviati superano la dimensione massima consentita.",
        "The data sent exceeds the largest size allowed.",
    ),
    (
        "Il formato dei dati inviati non è supportato.",
        "The format of the data sent is not supported.",
    ),
    (
        "Alcuni dati non sono corretti: controlla i campi indicati.",
        "Some data is not correct: check the fields shown.",
    ),
    (
        "Il servizio è molto richiesto in questo momento e non ha potuto rispondere. Riprova tra qualche istante: i dati già inviati non sono andati persi.",
        "The service is very busy at the moment and could not answer. Try again in a moment: the data already sent has not been lost.",
    ),
    (
        "Troppe richieste da questo indirizzo in poco tempo. Riprova tra",
        "Too many requests from this address in a short time. Try again in",
    ),
    ("secondi.", "seconds."),
    ("Troppe richieste", "Too many requests"),
    (
        "Modalità dimostrativa: accesso consentito solo dalla macchina locale, non attraverso un proxy.",
        "Demo mode: access is allowed from the local machine only, not through a proxy.",
    ),
    (
        "Il servizio è momentaneamente non disponibile. I dati già inviati non sono andati persi: riprova tra qualche minuto.",
        "The service is temporarily unavailable. The data already sent has not been lost: try again in a few minutes.",
    ),
    (
        "Si è verificato un errore imprevisto. Riprova più tardi; se il problema continua, comunica il codice di riferimento all'ufficio.",
        "An unexpected error occurred. Try again later; if it goes on, give the reference code to the office.",
    ),
    (
        "Accesso non riuscito: hai superato il numero di tentativi consentiti. Riprova più tardi.",
        "Login failed: you went over the number of attempts allowed. Try again later.",
    ),
    (
        "Accesso non riuscito: non hai credenziali adatte al livello di sicurezza richiesto dal servizio.",
        "Login failed: you have no credentials of the security level the service needs.",
    ),
    (
        "Accesso non riuscito: il tempo a disposizione per l'autenticazione è scaduto. Riprova.",
        "Login failed: the time allowed for authentication ran out. Try again.",
    ),
    (
        "Accesso non riuscito: hai negato il consenso all'invio dei dati al servizio.",
        "Login failed: you did not consent to sending your data to the service.",
    ),
    (
        "Accesso non riuscito: la tua identità digitale risulta sospesa o revocata. Contatta il tuo gestore dell'identità.",
        "Login failed: your digital identity is suspended or revoked. Contact your identity provider.",
    ),
    (
        "Accesso annullato: hai interrotto la procedura di autenticazione.",
        "Login cancelled: you stopped the authentication.",
    ),
    (
        "Accesso non riuscito: il gestore dell'identità ha rifiutato l'autenticazione.",
        "Login failed: the identity provider refused the authentication.",
    ),
    (
        "Il modulo inviato non è leggibile: riprova.",
        "The form sent cannot be read: try again.",
    ),
    (
        "I dati della domanda devono essere un oggetto JSON.",
        "The application's data must be a JSON object.",
    ),
    ("Richiesta multipart non valida.", "Invalid multipart request."),
    (
        "La parte \"data\" compare più di una volta.",
        "The \"data\" part appears more than once.",
    ),
    (
        "La parte \"data\" non è un JSON valido.",
        "The \"data\" part is not valid JSON.",
    ),
    (
        "Il nome del file non è un testo valido.",
        "The file's name is not valid text.",
    ),
    (
        "Manca la parte \"data\" con i dati della domanda.",
        "The \"data\" part with the application's data is missing.",
    ),
    (
        "La parte \"data\" deve essere un oggetto JSON.",
        "The \"data\" part must be a JSON object.",
    ),
    (
        "Il campo {name} ha più di un file.",
        "The field {name} has more than one file.",
    ),
    (
        "L'allegato non è più disponibile: caricalo di nuovo.",
        "The attachment is no longer available: upload it again.",
    ),
    // Demo identity provider.
    ("Identity provider dimostrativo", "Demonstration identity provider"),
    (
        "Scegli un cittadino di prova. La risposta sarà firmata con la chiave del gestore dimostrativo e verificata dal servizio come una risposta SPID reale.",
        "Choose a test citizen. The answer is signed with the demonstration provider's key and checked by the service as a real SPID answer.",
    ),
    ("Cittadino di prova", "Test citizen"),
    ("Accedi come questo cittadino", "Log in as this citizen"),
    ("Ritorno al servizio", "Back to the service"),
    (
        "Se la pagina non prosegue da sola, premi il pulsante.",
        "If the page does not go on by itself, press the button.",
    ),
    ("Continua", "Continue"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `t("...")` of the templates has its English text.
    #[test]
    fn every_template_text_has_english() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("t(\"").skip(1) {
                let Some(end) = piece.find("\")") else {
                    continue;
                };
                seen += 1;
                let it = &piece[..end];
                if !EN.contains_key(it) {
                    missing.push(format!("{}: {it}", path.display()));
                }
            }
        }
        assert!(seen > 50, "the templates use t(): {seen}");
        assert!(missing.is_empty(), "no English for: {missing:#?}");
    }

    #[test]
    fn untranslated_texts_stay_italian_and_placeholders_are_filled() {
        assert_eq!(tr_in(Lang::En, "Avanti"), "Next");
        assert_eq!(tr_in(Lang::It, "Avanti"), "Avanti");
        assert_eq!(
            tr_in(Lang::En, "Testo senza traduzione"),
            "Testo senza traduzione"
        );
        assert_eq!(
            trf(
                "N. {n} del {date}",
                &[("n", "0000001"), ("date", "01/12/2026")]
            ),
            "N. 0000001 del 01/12/2026"
        );
    }
}
