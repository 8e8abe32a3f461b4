## Answers to frequent questions (data/faq.json lists how people ask them).
## faq-<id>-title: a short title (buttons, lists); faq-<id>: the answer.

faq-tochka-rosta-title = What «Tochka Rosta» is
faq-tochka-rosta =
    <b>«Tochka Rosta»</b> («Growth Point») is a centre of science and technology education set up inside an ordinary school, most often a village or small-town one. These centres are opened under the national project «Education»: the school gets modern classrooms, digital labs for physics, chemistry and biology, robotics kits and 3D printers.

    Pupils of that school have lessons there, and after lessons the centre runs <b>free clubs</b> of additional education.

    To find them, type for example <i>clubs in Asino</i>, or open «🔎 Clubs and centres».

faq-kvantorium-title = What «Kvantorium» is
faq-kvantorium =
    <b>«Kvantorium»</b> is a children's technopark: a centre where pupils work on engineering and science projects with professional equipment. Its tracks are called «quantums»: robotics, IT, aero (drones), bio, industrial design, VR/AR, hi-tech (3D printing, laser cutting).

    Classes are for pupils of about 10 to 18, and they are <b>free</b>. You enrol through the navigator of additional education; groups are formed at the start of the school year, sometimes after an introductory class.

    To see the programmes, type <i>robotics Kvantorium</i> or choose a direction in «🔎 Clubs and centres».

faq-it-cube-title = What «IT-cube» is
faq-it-cube =
    <b>«IT-cube»</b> is a centre of digital education for children. It teaches programming (Python, Java, mobile development), robotics, the basics of cybersecurity and system administration, game making and VR/AR.

    Classes are for children of about 7 to 18, they are <b>free</b>, and you enrol through the navigator of additional education.

    To see the programmes, type <i>programming IT-cube</i>.

faq-certificate-title = The certificate of additional education (PFDO)
faq-certificate =
    The <b>certificate of additional education</b> is an electronic record of a child aged 5 to 18 in the system of personalised funding (PFDO). With it the state pays for clubs marked «PFDO certificate»: they are free for the family up to the certificate's yearly value.

    How to get one:
    1. Register in your region's navigator of additional education, or sign in through <a href="https://www.gosuslugi.ru">Gosuslugi</a>.
    2. Add your child to your account and apply for a certificate.
    3. Confirm the application: online through Gosuslugi or at any centre of additional education (bring the child's birth certificate or passport, the child's SNILS and a parent's passport).

    A certificate is issued once and is valid until 18; its value is renewed every year.

faq-navigator-title = How to enrol through the navigator
faq-navigator =
    You enrol in a club through the <b>navigator of additional education</b>, the regional website with all programmes (its address looks like р70.навигатор.дети, where 70 is the region's code).

    1. Register (Gosuslugi works too) and add your child to your account.
    2. Find a programme: here in the bot, or with the navigator's search.
    3. Press «Записаться» (Enrol) and choose a group.
    4. The organisation reviews the application and invites you to the first class; sometimes you need to bring documents.

    If something does not work, book a consultation in «👨‍👩‍👧 Consultations» and a specialist will help.

faq-cost-title = Is it free?
faq-cost =
    <b>Most clubs are free</b>: in schools, «Tochka Rosta» centres, «Kvantorium», «IT-cube», centres of additional education and sports schools, classes are paid for by the budget.

    Each programme's card says:
    • <b>free</b> — nothing to pay;
    • <b>PFDO certificate</b> — paid with the certificate of additional education, free for the family up to its value;
    • <b>paid</b> — the monthly price is shown.

    To see only free ones, type for example <i>free clubs</i> or <i>free robotics for 10 year olds</i>.

faq-documents-title = Which documents are needed
faq-documents =
    To enrol you usually need:
    • a parent's application (filled in on the navigator or on site);
    • the child's birth certificate or passport;
    • the child's SNILS, for the certificate of additional education;
    • consent to the processing of personal data.

    Sports sections and dance classes ask for a <b>medical certificate</b> that the child may train. Adapted programmes for children with disabilities ask for the conclusion of the psychological, medical and pedagogical commission (PMPK).

    Ask the organisation for its exact list: the phone number is on the programme's card.

faq-bilet-title = What «Ticket to the Future» is
faq-bilet =
    <b>«Ticket to the Future»</b> («Билет в будущее») is a national career guidance project for pupils of <b>grades 6–11</b>. It includes online diagnostics (tests of interests and strengths), professional trials — practical sessions at companies and colleges — and personal recommendations on which profession and education to choose.

    Taking part is free and the school enrols pupils: ask the class teacher or the school's career navigator. Details are on <a href="https://bvbinfo.ru">bvbinfo.ru</a>. Career guidance events are in «📅 Events».

faq-ovz-title = Accessible for children with disabilities
faq-ovz =
    <b>OVZ</b> means limited health abilities (special needs). An organisation marked «accessible for children with disabilities» has an accessible environment (a step-free entrance or a ramp, suitable rooms and toilets) and teachers who work with such children, including with adapted programmes.

    Before the first class, call the organisation and tell them about your child's needs, so they can choose the right group and format. A free consultation in «👨‍👩‍👧 Consultations» can help you choose, too.

faq-contacts-title = How to contact the education department
faq-contacts =
    You can ask a specialist of the education department at a consultation: open «👨‍👩‍👧 Consultations» and choose a convenient time.

    The department's phone, address and office hours are published on the official website of your municipality's administration. For questions about a particular club, contact the organisation directly: its phone number is on the programme's card.

faq-consultation-title = How to book a consultation
faq-consultation =
    <b>Consultations for parents are free.</b> Specialists help with questions of upbringing and learning (psychological and pedagogical help), with choosing clubs and an educational path (methodical help), and advise those who want to take a child into their family.

    To book, open «👨‍👩‍👧 Consultations», choose a topic, a place (a school or the guardianship department) and a free time. The bot reminds you the day before.

faq-dop-obrazovanie-title = What additional education is
faq-dop-obrazovanie =
    <b>Additional education</b> means clubs, sections, studios and societies beyond the school curriculum, for children and teenagers from 5 to 18 (younger ones in kindergartens). Children choose them freely and get no marks.

    Programmes fall into six directions:
    • technical — robotics, programming, 3D modelling;
    • natural science — ecology, biology, chemistry;
    • sports — sports sections, chess;
    • social and humanities — volunteering, journalism, languages;
    • arts — drawing, music, dance, theatre;
    • tourism and local history — hiking, local history.

    Type what your child likes, for example <i>dance for 8 year olds</i>.

faq-dobroshkola-title = What «Dobroshkola» is
faq-dobroshkola =
    <b>«Dobroshkola»</b> («Kind School») is part of the national project «Education» for schools attended by children with disabilities. Such schools get renovated buildings and classrooms, workshops for vocational training, sensory and play rooms, rooms for a psychologist and a speech therapist, and new clubs of additional education.

    Dobroshkola clubs are in the catalogue too: type <i>Dobroshkola</i>.

faq-proektoria-title = What «ProeKTOria» is
faq-proektoria =
    <b>«ProeKTOria»</b> is a national career guidance portal: open online lessons about professions and industries, the «Show of Professions» — lessons given by people of different professions — plus tests and tasks. Pupils watch the lessons in class or at home.

    Website: <a href="https://proektoria.online">proektoria.online</a>. Career guidance events in our region are in «📅 Events».
