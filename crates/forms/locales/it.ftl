# The words istanze-forms writes itself, in Italian (the source: every id is here). An
# installation adds a language, or rewords one, with the same ids in its own `<lang>.ftl`.

## Answers, rows and buttons
forms-yes = Sì
forms-no = No
forms-declared = Sì, dichiaro
# Before a row's number: "Ospite n. 2".
forms-number = n.
forms-add = Aggiungi
forms-remove = Rimuovi
forms-or = oppure

## When a block of questions applies ($question: the question; $answers: the answers, quoted)
forms-only-if-answered = Da compilare solo se hai risposto a «{ $question }».
forms-only-if = Da compilare solo se hai risposto { $answers } a «{ $question }».
forms-only-if-not = Da compilare solo se non hai risposto { $answers } a «{ $question }».

## Validation messages ($limit: a whole number; $decimal and $decimal_comma: a number as the
## schema writes it, with a point or with a comma)
forms-illegal-text = Il testo contiene caratteri non ammessi (ad esempio caratteri di controllo): eliminali e riprova.
forms-declaration-required = Questa dichiarazione è obbligatoria: selezionare la casella per confermarla.
forms-required = Questo campo è obbligatorio.
forms-choose = Scegliere una delle opzioni proposte.
forms-min-length = Inserire almeno { $limit } { $limit ->
        [one] carattere
       *[other] caratteri
    }.
forms-max-length = Inserire al massimo { $limit } { $limit ->
        [one] carattere
       *[other] caratteri
    }.
forms-minimum = Il valore minimo è { $decimal_comma }.
forms-maximum = Il valore massimo è { $decimal_comma }.
forms-exclusive-minimum = Il valore deve essere maggiore di { $decimal_comma }.
forms-exclusive-maximum = Il valore deve essere minore di { $decimal_comma }.
forms-pattern = Il formato del valore non è valido.
forms-unexpected-data = Il modulo contiene dati non previsti.
forms-min-items = Inserire almeno { $limit } { $limit ->
        [one] elemento
       *[other] elementi
    }.
forms-max-items = Inserire al massimo { $limit } { $limit ->
        [one] elemento
       *[other] elementi
    }.
forms-invalid = Il valore inserito non è valido.

## A value not in its format
forms-format-email = Inserire un indirizzo e-mail valido, ad esempio nome@esempio.it.
forms-format-date = Inserire una data valida.
forms-format-date-time = Inserire una data e un'ora valide.
forms-format-uri = Inserire un indirizzo web valido, ad esempio https://www.esempio.it.
forms-format-codice-fiscale = Il codice fiscale non è valido: controllare i 16 caratteri.
forms-format-partita-iva = La partita IVA non è valida: controllare le 11 cifre.
forms-format-iban = L'IBAN non è valido: controllare i caratteri (in Italia sono 27, iniziano con IT).
forms-format-cap = Il CAP è fatto di 5 cifre.
forms-format-telefono = Inserire un numero di telefono valido, ad esempio +39 06 1234567.
forms-format-allegato = Allegare il file di nuovo: il riferimento non è valido.

## A value of another kind
forms-type-integer = Inserire un numero intero.
forms-type-number = Inserire un numero.
forms-type-boolean = Selezionare una delle opzioni.
forms-type-string = Inserire un testo.
forms-type-other = Il valore inserito non è del tipo previsto.
