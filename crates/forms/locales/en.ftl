# The words istanze-forms writes itself, in English.

## Answers, rows and buttons
forms-yes = Yes
forms-no = No
forms-declared = Yes, I declare
forms-number = no.
forms-add = Add
forms-remove = Remove
forms-or = or

## When a block of questions applies
forms-only-if-answered = Fill in only if you answered «{ $question }».
forms-only-if = Fill in only if you answered { $answers } to «{ $question }».
forms-only-if-not = Fill in only if you did not answer { $answers } to «{ $question }».

## Validation messages
forms-illegal-text = The text contains characters that are not allowed (such as control characters): remove them and try again.
forms-declaration-required = This declaration is required: tick the box to confirm it.
forms-required = This field is required.
forms-choose = Choose one of the options.
forms-min-length = Enter at least { $limit } { $limit ->
        [one] character
       *[other] characters
    }.
forms-max-length = Enter at most { $limit } { $limit ->
        [one] character
       *[other] characters
    }.
forms-minimum = The smallest value allowed is { $decimal }.
forms-maximum = The largest value allowed is { $decimal }.
forms-exclusive-minimum = The value must be greater than { $decimal }.
forms-exclusive-maximum = The value must be less than { $decimal }.
forms-pattern = The value is not in the expected format.
forms-unexpected-data = The form contains data it does not expect.
forms-min-items = Enter at least { $limit } { $limit ->
        [one] item
       *[other] items
    }.
forms-max-items = Enter at most { $limit } { $limit ->
        [one] item
       *[other] items
    }.
forms-invalid = The value entered is not valid.

## A value not in its format
forms-format-email = Enter a valid e-mail address, for example name@example.com.
forms-format-date = Enter a valid date.
forms-format-date-time = Enter a valid date and time.
forms-format-uri = Enter a valid web address, for example https://www.example.com.
forms-format-codice-fiscale = The tax code (codice fiscale) is not valid: check its 16 characters.
forms-format-partita-iva = The VAT number (partita IVA) is not valid: check its 11 digits.
forms-format-iban = The IBAN is not valid: check its characters (Italian IBANs have 27 and start with IT).
forms-format-cap = The postcode (CAP) has 5 digits.
forms-format-telefono = Enter a valid telephone number, for example +39 06 1234567.
forms-format-allegato = Attach the file again: the reference is not valid.

## A value of another kind
forms-type-integer = Enter a whole number.
forms-type-number = Enter a number.
forms-type-boolean = Select one of the options.
forms-type-string = Enter some text.
forms-type-other = The value entered is not of the expected kind.
