app-name = Ostoja
app-tagline = System zespołu interdyscyplinarnego
skip-to-content = Przejdź do treści
nav-home = Strona główna
nav-tenants = Gminy
nav-audit = Dziennik zdarzeń
nav-password = Zmień hasło
nav-logout = Wyloguj
nav-main = Menu główne
lang-switch = English
lang-switch-code = en
demo-banner = Instalacja demonstracyjna: dane są fikcyjne. Nie wprowadzaj prawdziwych danych osobowych.
logged-in-as = Zalogowano jako { $login }
footer = Ostoja — oprogramowanie dla zespołów interdyscyplinarnych ds. przeciwdziałania przemocy domowej.
save = Zapisz
required-mark = (wymagane)
form-has-errors = Formularz zawiera błędy. Popraw pola oznaczone poniżej.

# Login
login-title = Logowanie
login-intro = Zaloguj się, aby pracować w systemie Ostoja.
field-login = Login
field-password = Hasło
field-password-confirm = Powtórz hasło
field-current-password = Obecne hasło
field-new-password = Nowe hasło
field-code = Kod z aplikacji uwierzytelniającej
field-code-hint = Sześć cyfr, zmieniają się co 30 sekund.
login-submit = Zaloguj
login-failed = Nieprawidłowy login lub hasło.
login-locked = Zbyt wiele nieudanych prób. Spróbuj ponownie po { $until }.
session-expired = Sesja wygasła z powodu braku aktywności. Zaloguj się ponownie.
logged-out = Wylogowano.
second-factor-title = Drugi składnik logowania
second-factor-intro = Wpisz kod z aplikacji uwierzytelniającej (np. Aegis, FreeOTP, Google Authenticator).
second-factor-failed = Nieprawidłowy lub już użyty kod.
verify-submit = Potwierdź

# Set-up and activation
setup-title = Pierwsze uruchomienie: konto administratora
setup-intro = Utwórz konto administratora systemu. Administrator zarządza gminami, instytucjami i kontami, ale nie ma wglądu w sprawy.
setup-submit = Utwórz konto administratora
link-invalid-title = Link jest nieważny
link-invalid = Ten link jednorazowy wygasł lub został już użyty. Poproś administratora o nowy.
activate-title = Aktywacja konta
activate-intro = Ustaw hasło do konta { $login }. Następnie skonfigurujesz drugi składnik logowania.
activate-submit = Ustaw hasło
field-full-name = Imię i nazwisko
field-email = Adres e-mail
field-phone = Telefon
password-hint = Co najmniej 12 znaków. Najlepiej kilka słów, łatwych do zapamiętania.
enrol-title = Konfiguracja drugiego składnika
enrol-intro = Zeskanuj kod QR aplikacją uwierzytelniającą na telefonie albo wpisz klucz ręcznie. Następnie podaj kod, który pokaże aplikacja.
enrol-secret = Klucz do wpisania ręcznie
enrol-qr-label = Kod QR do zeskanowania w aplikacji uwierzytelniającej
enrol-submit = Włącz drugi składnik

# Home
home-title = Strona główna
home-welcome = Witaj, { $login }.
home-tenant = Gmina: { $name } (TERYT { $teryt })
home-roles = Twoje role
home-no-tenant = Konto administratora instalacji (bez przypisanej gminy).
home-next = Co dalej
home-admin-hint = Utwórz gminę, jej instytucje i konta użytkowników w zakładce „Gminy”.
home-dpo-hint = Dziennik zdarzeń pokazuje logowania, zmiany i każdy odczyt danych osobowych.

# Roles
role-chair = Przewodniczący zespołu
role-deputy_chair = Zastępca przewodniczącego
role-secretary = Sekretarz zespołu
role-group_member = Członek grupy diagnostyczno-pomocowej
role-initiator = Wszczynający procedurę
role-programme_reporter = Sprawozdawca programu
role-aggregate_viewer = Odbiorca danych zbiorczych
role-data_protection_officer = Inspektor ochrony danych
role-system_administrator = Administrator systemu

# Institution kinds
kind-social_welfare = Jednostka organizacyjna pomocy społecznej
kind-police = Policja
kind-education = Oświata
kind-health_care = Ochrona zdrowia
kind-alcohol_commission = Gminna komisja rozwiązywania problemów alkoholowych
kind-probation_officer = Kurator sądowy
kind-prosecutor = Prokuratura
kind-county_family_centre = Powiatowe centrum pomocy rodzinie
kind-crisis_intervention_centre = Ośrodek interwencji kryzysowej
kind-ngo = Organizacja pozarządowa
kind-other = Inna

# Administration
tenants-title = Gminy
tenants-empty = Nie utworzono jeszcze żadnej gminy.
tenant-new = Nowa gmina
field-teryt = Kod TERYT gminy
field-teryt-hint = Siedem cyfr, np. 1016011.
field-tenant-name = Nazwa gminy
tenant-create = Utwórz gminę
tenant-created = Utworzono gminę.
col-teryt = TERYT
col-name = Nazwa
col-actions = Działania
col-kind = Rodzaj
col-login = Login
col-roles = Role
col-second-factor = Drugi składnik
col-institution = Instytucja
yes = tak
no = nie
demo-tag = DEMO
manage-institutions = Instytucje
manage-accounts = Konta
institutions-title = Instytucje: { $name }
institutions-empty = Brak instytucji.
institution-new = Nowa instytucja
field-institution-name = Nazwa instytucji
field-kind = Rodzaj instytucji
choose = — wybierz —
institution-create = Dodaj instytucję
institution-created = Dodano instytucję.
accounts-title = Konta: { $name }
accounts-empty = Brak kont.
account-new = Nowe konto
field-roles = Role
field-institution = Instytucja
none = — brak —
account-create = Utwórz konto
account-created = Utworzono konto { $login }. Przekaż tej osobie jednorazowy link aktywacyjny (ważny 7 dni):
reset-second-factor = Zresetuj drugi składnik
second-factor-reset-done = Drugi składnik i hasło konta { $login } zostały wyzerowane. Przekaż tej osobie nowy link aktywacyjny:
back = Wróć

# Password
password-title = Zmiana hasła
password-changed = Hasło zostało zmienione.

# Audit
audit-title = Dziennik zdarzeń
audit-intro = Wpisy są łańcuchowo powiązane skrótami kryptograficznymi; polecenie „ostoja audit verify” wykrywa zmianę lub usunięcie wpisu.
audit-filter = Filtruj
field-action = Rodzaj zdarzenia
field-actor = Login użytkownika
field-from = Od dnia
field-until = Do dnia (włącznie)
any = — dowolny —
col-seq = Nr
col-at = Czas
col-actor = Kto
col-action = Zdarzenie
col-object = Obiekt
col-address = Adres
audit-empty = Brak wpisów spełniających kryteria.
audit-older = Starsze wpisy

# Errors
error-title = Błąd
not-found-title = Nie znaleziono strony
not-found = Strona nie istnieje albo nie masz do niej dostępu.
forbidden-title = Brak uprawnień
forbidden = Twoje role nie pozwalają na tę czynność.
bad-request-title = Nieprawidłowe żądanie
bad-request = Przeglądarka wysłała żądanie, którego nie da się przetworzyć. Wróć i spróbuj ponownie.
csrf-failed = Formularz wygasł lub pochodzi z innej strony. Odśwież stronę i spróbuj ponownie — wpisane dane zostały zachowane poniżej.
payload-too-large = Przesłane dane są zbyt duże.
unavailable-title = Usługa chwilowo niedostępna
unavailable = Baza danych jest chwilowo niedostępna. Spróbuj ponownie za chwilę.
internal-title = Wystąpił błąd
internal = Coś poszło nie tak po naszej stronie. Twoje dane nie zostały utracone. Jeśli błąd się powtarza, podaj administratorowi numer zdarzenia: { $id }.
go-home = Przejdź do strony głównej
conflict = Ktoś inny zmienił te dane w międzyczasie. Odśwież stronę.

# Field errors (message ids from the domain and the store)
err-required = To pole jest wymagane.
err-too-long = Tekst jest za długi.
err-control-chars = Tekst zawiera niedozwolone znaki sterujące.
err-login-length = Login musi mieć od 3 do 64 znaków.
err-login-chars = Login może zawierać tylko małe litery bez polskich znaków, cyfry, kropkę, myślnik i podkreślenie.
err-login-taken = Ten login jest już zajęty.
err-password-short = Hasło musi mieć co najmniej 12 znaków.
err-password-long = Hasło może mieć najwyżej 256 znaków.
err-password-is-login = Hasło nie może być takie samo jak login.
err-password-mismatch = Hasła nie są takie same.
err-password-wrong = Obecne hasło jest nieprawidłowe.
err-teryt-format = Kod TERYT gminy to 7 cyfr, np. 1016011.
err-teryt-voivodeship = Pierwsze dwie cyfry muszą oznaczać województwo (02–32, liczba parzysta).
err-teryt-kind = Ostatnia cyfra kodu TERYT oznacza rodzaj gminy (1–5, 8 lub 9).
err-teryt-taken = Gmina o tym kodzie TERYT już istnieje.
err-institution-kind = Wybierz rodzaj instytucji z listy.
err-institution-taken = Instytucja o tej nazwie już istnieje w tej gminie.
err-institution-unknown = Wybierz instytucję z listy.
err-roles-required = Wybierz co najmniej jedną rolę.
err-role-unknown = Nieznana rola.
err-tenant-required-for-role = Ta rola wymaga przypisania do gminy.
err-email-format = Podaj adres e-mail w postaci nazwa@domena.pl.
err-phone-format = Numer telefonu może zawierać cyfry, spacje, plus, myślniki i nawiasy.
err-totp-wrong = Kod jest nieprawidłowy. Sprawdź, czy czas w telefonie jest ustawiony automatycznie.
err-date-format = Podaj datę w postaci RRRR-MM-DD.

# API
api-unauthorized = Brak lub nieprawidłowy token API.
api-bad-json = Nieprawidłowe dane JSON: { $detail }

# Persons (procedure)
person-role-affected_person = Osoba doznająca przemocy domowej
person-role-suspected_person = Osoba stosująca przemoc domową (podejrzenie)
person-role-household_member = Osoba wspólnie zamieszkująca z osobą stosującą przemoc domową
person-role-witness = Świadek przemocy domowej
person-role-reporter = Osoba zgłaszająca
err-person-role = Wybierz rolę osoby z listy.
err-name-chars = Imię i nazwisko mogą zawierać tylko litery, spacje, apostrof i łącznik.
err-pesel-format = Numer PESEL to 11 cyfr.
err-pesel-checksum = Cyfra kontrolna numeru PESEL się nie zgadza. Sprawdź, czy w numerze nie ma literówki.
err-pesel-date = Numer PESEL zawiera nieistniejącą datę urodzenia.
err-pesel-birth-date-mismatch = Data urodzenia nie zgadza się z numerem PESEL.
err-pesel-sex-mismatch = Płeć nie zgadza się z numerem PESEL.
err-sex-value = Wybierz płeć z listy.
err-birth-date-format = Podaj istniejącą datę urodzenia w postaci DD.MM.RRRR lub RRRR-MM-DD.
err-birth-in-future = Data urodzenia nie może być późniejsza niż data wypełnienia formularza.
err-birth-date-implausible = Data urodzenia jest zbyt odległa. Sprawdź rok.
err-field-not-allowed-for-role = Tej informacji nie wolno zapisywać o osobie w tej roli (art. 9c ust. 1 ustawy o przeciwdziałaniu przemocy domowej). Usuń ją.
err-suspected-minor = Osoba stosująca przemoc domową musi być pełnoletnia w dniu wypełnienia formularza „Niebieska Karta – A” (art. 2 ust. 1 pkt 3 ustawy).
err-minor-birth-date-mismatch = Według daty urodzenia ta osoba jest pełnoletnia.

# Procedure lifecycle
err-group-needs-social-worker = Grupa diagnostyczno-pomocowa musi obejmować pracownika socjalnego (art. 9a ust. 11 ustawy).
err-group-needs-police-officer = Grupa diagnostyczno-pomocowa musi obejmować funkcjonariusza Policji (art. 9a ust. 11 ustawy).
err-transition-group-already-appointed = Grupa diagnostyczno-pomocowa dla tej procedury została już powołana.
err-transition-meeting-without-group = Nie można odnotować posiedzenia grupy, zanim grupa diagnostyczno-pomocowa zostanie powołana.
err-transition-form-c-before-first-meeting = Formularz „Niebieska Karta – C” wypełnia grupa diagnostyczno-pomocowa: najpierw odnotuj pierwsze posiedzenie grupy.
err-transition-form-d-before-first-meeting = Formularz „Niebieska Karta – D” wypełnia grupa diagnostyczno-pomocowa: najpierw odnotuj pierwsze posiedzenie grupy.
err-transition-closed-no-form-c = Procedura jest zakończona: nie można dodać formularza „Niebieska Karta – C”.
err-transition-closed-no-form-d = Procedura jest zakończona: nie można dodać formularza „Niebieska Karta – D”.
err-transition-closed-further-incident-reopens = Procedura jest zakończona i monitorowana. Nowy formularz „Niebieska Karta – A” wznawia procedurę: użyj opcji wznowienia.
err-transition-closed-no-firearm = Procedura jest zakończona. Jeśli doszło do nowego zdarzenia, wznów procedurę nowym formularzem „Niebieska Karta – A”, a następnie odnotuj posiadanie broni.
err-transition-firearm-already-recorded = Posiadanie broni palnej zostało już odnotowane w tej procedurze.
err-transition-close-before-first-meeting = Procedurę zamyka grupa diagnostyczno-pomocowa (art. 9b ust. 8 pkt 8 ustawy): najpierw odnotuj pierwsze posiedzenie grupy.
err-transition-already-closed = Procedura jest już zakończona.
err-transition-not-closed = Procedura nie jest zakończona.
err-transition-monitoring-not-over = Monitorowanie trwa 9 miesięcy od zakończenia procedury (art. 9h ust. 2 ustawy) i jeszcze nie minęło.
err-transition-reopen-after-monitoring = Minęło 9 miesięcy od zakończenia procedury: nowe zdarzenie wymaga wszczęcia nowej procedury.
err-transition-closed-no-transfer = Procedura jest zakończona: nie można jej przekazać do innej gminy.
err-transition-monitoring-ended = Monitorowanie zakończyło się i procedura jest zamknięta. Nowe zdarzenie wymaga wszczęcia nowej procedury.
err-transition-transferred-out = Procedura została przekazana zespołowi interdyscyplinarnemu innej gminy i nie można jej tu zmieniać.
err-transition-time-before-last-event = Data jest wcześniejsza niż ostatnie zdarzenie w procedurze.
err-group-member-kind-unknown = Wybierz rodzaj członka grupy z listy.
err-closing-reason-unknown = Wybierz przyczynę zakończenia procedury z listy.

# Forms
err-unknown-field = To pole nie należy do tego formularza.
err-too-many-items = Dodano więcej pozycji, niż pozwala ten formularz.
err-datetime-format = Podaj datę i godzinę w postaci RRRR-MM-DD GG:MM.
err-bool-format = Zaznacz „tak” albo „nie”.
err-number-format = Podaj liczbę całkowitą.
err-number-range = Liczba jest spoza dozwolonego zakresu.
err-choice-unknown = Wybierz wartość z listy.
err-affected-person-required = Formularz „Niebieska Karta – A” musi wskazywać co najmniej jedną osobę doznającą przemocy domowej.
err-date-in-future = Data nie może być późniejsza niż dzisiejsza.
err-group-member-unknown = Wybierz członków grupy spośród kont gminy z rolą członka grupy diagnostyczno-pomocowej.

# Procedure pages
nav-procedures = Procedury
procedures-title = Procedury „Niebieskie Karty”
procedures-empty = Nie ma procedur, które możesz zobaczyć.
procedures-filter = Pokaż
procedures-next = Starsze sprawy
field-opened-from = Wszczęte od dnia
field-opened-until = Wszczęte do dnia (włącznie)
field-number-part = Numer sprawy
field-number-part-hint = Cały numer albo jego część, np. 2026/00.
err-phase-unknown = Wybierz etap z listy.
err-date-range-reversed = Data „do” nie może być wcześniejsza niż data „od”.
err-number-part-too-long = Numer sprawy ma najwyżej 20 znaków.
err-synthetic-not-demo = Dane syntetyczne można wczytać tylko do gminy demonstracyjnej.
form-a-new = Wypełnij formularz „Niebieska Karta – A”
form-a-title = Formularz „Niebieska Karta – A”
form-a-intro = Wypełnienie formularza wszczyna procedurę „Niebieskie Karty”. Pola oznaczone * są wymagane. Możesz dodać kolejne osoby przyciskiem pod każdą częścią; wpisane dane zostaną zachowane.
form-a-submit = Zapisz formularz i wszcznij procedurę
form-a-already-known = Osoby wskazane w formularzu są już objęte toczącą się lub monitorowaną procedurą. Nowa procedura nie została wszczęta. Zgłoś zdarzenie w tej procedurze albo zaznacz poniżej, że mimo to chcesz wszcząć nową.
form-a-open-anyway = Mimo to wszcznij nową procedurę
form-item = Pozycja { $n }
form-add-item = Dodaj kolejną pozycję
col-number = Numer
col-opened = Wszczęta
col-phase = Etap
procedure-title = Procedura
procedure-heading = Procedura { $number }
deadlines-title = Terminy
deadlines-none = Brak terminów do policzenia na tym etapie.
col-deadline = Termin
col-due = Upływa
col-state = Stan
col-basis = Podstawa prawna
confidence-help = [P] przepis, [S] źródło wtórne, [U] nie potwierdzono
deadline-pending = w toku (zostało dni: { $days })
deadline-due-soon = upływa wkrótce (zostało dni: { $days })
deadline-overdue = PRZEKROCZONY o { $days } dn.
deadline-met = dotrzymany
deadline-met-late = dotrzymany z opóźnieniem { $days } dn.
timeline-title = Przebieg
who-can-see-title = Kto ma wgląd
who-can-see-intro = Dostęp do tej procedury mają tylko te konta (przewodniczący, zastępca i sekretarz zespołu, członkowie grupy diagnostyczno-pomocowej, osoba wszczynająca). Każdy odczyt jest zapisywany w dzienniku zdarzeń.
phase-opened = wszczęta
phase-group_appointed = grupa powołana
phase-in_progress = w toku
phase-closed = zakończona, monitorowanie
phase-monitoring_ended = zamknięta po monitorowaniu
phase-transferred_out = przekazana innej gminie
event-procedure_opened = Wszczęcie procedury (formularz A)
event-group_appointed = Powołanie grupy diagnostyczno-pomocowej
event-group_meeting_held = Posiedzenie grupy
event-form_c_recorded = Formularz C
event-form_d_recorded = Formularz D
event-further_incident_attached = Kolejne zdarzenie (formularz A)
event-firearm_recorded = Odnotowano broń palną
event-procedure_closed = Zakończenie procedury
event-monitoring_started = Początek monitorowania (9 miesięcy)
event-monitoring_ended = Koniec monitorowania
event-procedure_reopened = Wznowienie procedury
event-transferred_out = Przekazanie innej gminie

# Procedure actions
procedure-conflict = Ktoś inny zmienił tę procedurę w międzyczasie. Poniżej jest jej aktualny stan; sprawdź go i powtórz czynność, jeśli nadal jest potrzebna.
group-appoint-title = Powołanie grupy diagnostyczno-pomocowej
group-appoint-intro = Wybierz członków grupy i ich funkcję. Grupa musi obejmować pracownika socjalnego i funkcjonariusza Policji (art. 9a ust. 11 ustawy).
group-not-member = — nie w grupie —
group-appoint-submit = Powołaj grupę
steps-title = Czynności grupy
closing-reason = Przyczyna zakończenia
closing-violence_stopped = ustanie przemocy domowej i uzasadnione przypuszczenie, że nie będzie kontynuowana, oraz zrealizowanie planu pomocy
closing-no_grounds = rozstrzygnięcie o braku zasadności podejmowania działań
step-record_group_meeting = Odnotuj posiedzenie grupy
step-record_form_c = Odnotuj formularz C
step-record_form_d = Odnotuj formularz D
step-record_firearm = Odnotuj posiadanie broni palnej
step-close = Zakończ procedurę
step-end_monitoring = Zakończ monitorowanie
member-kind-social_worker = pracownik socjalny
member-kind-police_officer = funkcjonariusz Policji
member-kind-probation_officer = kurator sądowy
member-kind-military_police = żołnierz Żandarmerii Wojskowej
member-kind-teacher = pedagog / nauczyciel
member-kind-health_worker = przedstawiciel ochrony zdrowia
member-kind-alcohol_commission = członek gminnej komisji rozwiązywania problemów alkoholowych
member-kind-psychologist = psycholog
member-kind-other = inna osoba

# Dashboard
dashboard-cases = Moje procedury i terminy
dashboard-no-open-deadline = brak otwartych terminów

# Forms in a running case
case-forms-title = Formularze
case-form-a-link = Kolejne zdarzenie: formularz „Niebieska Karta – A”
case-form-c-link = Formularz „Niebieska Karta – C” (z osobą doznającą przemocy domowej)
case-form-d-link = Formularz „Niebieska Karta – D” (z osobą stosującą przemoc domową)
case-form-a-intro = Kolejne zdarzenie w toczącej się procedurze dokumentuje się nowym formularzem A; osoby w nim wskazane będą rozpoznawane przy następnych zgłoszeniach.
case-form-c-intro = Formularz C wypełnia grupa diagnostyczno-pomocowa na posiedzeniu z osobą doznającą przemocy domowej, razem z planem pomocy.
case-form-d-intro = Formularz D wypełnia grupa diagnostyczno-pomocowa na posiedzeniu z osobą stosującą przemoc domową — nigdy w tym samym miejscu i czasie co spotkanie z osobą doznającą przemocy.
case-form-submit = Zapisz formularz w procedurze
form-a-attach = Dołącz formularz do procedury { $number } jako kolejne zdarzenie
form-a-attached = Formularz dołączono do toczącej się procedury jako kolejne zdarzenie. Widać go w przebiegu procedury.
