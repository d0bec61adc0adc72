"""Name pools of the communities of a northern English town, commonest first.

The lists are ordered roughly by how often each name occurs in England and Wales (ONS baby names,
surname counts), so a Zipf weight by rank gives realistic clashes: many Olivia Smiths, Mohammed
Khans and Jack Smiths. Names only shape realistic clashes and variants; nothing uses a name as a
proxy for ethnicity, and ethnicity codes are recorded sparsely and never matched on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Community:
    """A naming tradition: given names by generation and sex, surnames, recorded codes."""

    key: str
    men: tuple[str, ...]
    women: tuple[str, ...]
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    surnames: tuple[str, ...]
    ethnicity: tuple[str, ...]  # police 18+1 self-defined codes, commonest first
    observed: str  # the IC code an officer would most often record
    nationality: tuple[str, ...]  # ISO alpha-2, commonest first
    # Chance that a man's first given name is Mohammed (or a spelling) and he goes by the second.
    devotional_first_name: float = 0.0
    female_surnames: tuple[str, ...] = ()  # surnames only women carry (Begum, Bibi, Kaur)
    feminine_suffix: dict[str, str] | None = None  # Kowalski -> Kowalska


def words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``: long lists of names stay readable."""
    return tuple(text.split())


WHITE_BRITISH = Community(
    "white_british",
    men=words(
        "David John Paul Mark Michael Andrew Stephen Peter Robert Richard Ian Gary Christopher "
        "Darren Lee Wayne Craig Jason Dean Anthony Simon Kevin Martin Neil Carl Matthew Daniel "
        "Scott Shaun Stuart Jamie Adam James Thomas William Philip Graham Nigel Keith Steven"
    ),
    women=words(
        "Sarah Claire Nicola Lisa Emma Joanne Michelle Rachel Donna Kelly Amanda Tracey Louise "
        "Samantha Victoria Gemma Stacey Jodie Hayley Danielle Kirsty Laura Rebecca Natalie "
        "Leanne Jennifer Susan Julie Karen Helen Angela Sharon Dawn Katherine Elizabeth Catherine"
    ),
    boys=words(
        "Oliver Jack Harry George Noah Charlie Jacob Alfie Freddie Oscar Leo Thomas James "
        "William Joshua Ethan Archie Henry Riley Joseph Max Lucas Samuel Daniel Logan Jayden "
        "Tyler Kyle Liam Callum Connor Ryan Lewis Jake Luke Dylan Kai Mason Harvey Bailey "
        "Alexander Benjamin Reece Declan Brandon"
    ),
    girls=words(
        "Olivia Amelia Isla Ava Emily Sophie Grace Mia Poppy Ella Lily Evie Isabella Jessica "
        "Chloe Ruby Sophia Holly Megan Lauren Ellie Amy Courtney Chelsea Jade Leah Paige "
        "Shannon Demi Kayleigh Caitlin Charlotte Hannah Freya Millie Lola Maisie Summer Layla "
        "Maya Abigail Eleanor Rebecca Katie Bethany Tia"
    ),
    surnames=words(
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Lewis Harris Turner Hill "
        "Ward Cooper Moore King Baker Shaw Holmes Barker Sutcliffe Hirst Haigh Firth Pickles "
        "Greenwood Ackroyd Brook Lister Crossley Mitchell Marshall Atkinson Bailey Lee Kelly "
        "Murphy Allen Parker Scott Clayton Dawson Fletcher Holroyd Hartley Priestley Jowett "
        "Sugden Booth Naylor Rhodes Wilkinson Spencer Whitaker"
    ),
    ethnicity=("W1", "W1", "W1", "W1", "W2", "W9", "M9"),
    observed="IC1",
    nationality=("GB",),
)

PAKISTANI = Community(
    "pakistani",
    men=words(
        "Mohammed Imran Asif Tariq Zahid Shahid Arshad Nadeem Naveed Amjad Sajid Khalid Abdul "
        "Ali Hassan Usman Bilal Adnan Kamran Faisal Waqas Zubair Javed Rizwan Shakeel Aftab "
        "Irfan Nasir Rashid Tahir Yasir Ibrar Zeeshan Shoaib Haroon Sohail Wasim Mushtaq"
    ),
    women=words(
        "Shazia Nazia Rubina Shabana Samina Nasreen Parveen Farzana Rukhsana Shamim Yasmin "
        "Bushra Saima Uzma Naila Sadia Amina Fozia Rehana Kauser Aisha Fatima Sobia Asma"
    ),
    boys=words(
        "Muhammad Mohammed Ibrahim Yusuf Adam Zain Ayaan Hamza Musa Ali Abdullah Zakariya Umar "
        "Haris Rayyan Idris Ismail Ahmed Daniyal Aryan Hasan Hussain Zayan Yahya Eesa Haider "
        "Subhan Mikail Rehan Saad"
    ),
    girls=words(
        "Aisha Maryam Zara Fatima Hafsa Khadija Amina Zainab Hania Inaya Aliza Eman Alisha "
        "Safa Anaya Sana Iqra Mahnoor Laiba Aleena Zoya Noor Hira Amira Alia Mehwish Areeba"
    ),
    surnames=words(
        "Khan Hussain Ali Ahmed Mahmood Iqbal Akhtar Shah Rehman Ahmad Mohammed Aslam Butt "
        "Bashir Raja Mirza Malik Chaudhry Riaz Javed Rashid Hanif Akram Anwar Saddique Nawaz "
        "Yousaf Zaman Latif Qureshi Sadiq Arif Hameed Rafiq Ashraf"
    ),
    ethnicity=("A2", "A2", "A2", "A2", "A9", "NS"),
    observed="IC4",
    nationality=("GB", "GB", "GB", "PK"),
    devotional_first_name=0.35,
    female_surnames=words("Begum Bibi Kauser Akhtar"),
)

BANGLADESHI = Community(
    "bangladeshi",
    men=words("Abdul Mohammed Shahid Jamal Kamal Rahim Karim Faruk Shafiq Ruhul Anwar Mizanur"),
    women=words("Rokeya Nazma Shirin Rahima Hasina Jahanara Salma Rehana Shilpi Momtaz"),
    boys=words("Muhammad Mohammed Rayhan Tanvir Ayan Yusuf Ibrahim Zayan Arif Sami Rafi"),
    girls=words("Sumaiya Tasnim Nusrat Fahima Sabrina Ruma Jannat Tahmina Sadia Maliha Anika"),
    surnames=words("Miah Uddin Rahman Ali Islam Hossain Ahmed Chowdhury Hoque Alom Sarkar Haque"),
    ethnicity=("A3", "A3", "A3", "A9"),
    observed="IC4",
    nationality=("GB", "GB", "BD"),
    devotional_first_name=0.3,
    female_surnames=words("Begum Khatun Bibi"),
)

INDIAN = Community(
    "indian",
    men=words(
        "Rajesh Sanjay Harjit Gurpreet Jaswinder Manjit Sukhdev Ravi Amit Vijay Kuldip Ashok"
    ),
    women=words("Sunita Parminder Rajinder Kamaljit Meena Asha Harpreet Sukhwinder Nisha Kiran"),
    boys=words("Arjun Aarav Rohan Jai Dev Karan Arav Harvir Veer Ishaan Kabir Rahul"),
    girls=words("Priya Simran Anaya Jasleen Navneet Kiran Riya Aanya Manpreet Isha Jasmine Tara"),
    surnames=words(
        "Singh Patel Sharma Kumar Gill Sandhu Dhillon Sidhu Mistry Parmar Chauhan Bains"
    ),
    ethnicity=("A1", "A1", "A1", "A9"),
    observed="IC4",
    nationality=("GB", "GB", "IN"),
    female_surnames=("Kaur",),
)

BLACK = Community(
    "black",
    men=words(
        "Michael Emmanuel David Daniel Samuel Joseph Olu Tunde Kwame Kofi Tendai Chinedu "
        "Delroy Winston Marcus Leon Andre Abdi Mohamed Ahmed"
    ),
    women=words("Grace Patience Mercy Joy Comfort Funmi Marcia Beverley Sandra Hodan Amina Faith"),
    boys=words(
        "Jayden Tyrese Isaac David Elijah Joshua Daniel Kai Malachi Ezekiel Tobi Ayo "
        "Abdirahman Abdullahi Mohamed"
    ),
    girls=words(
        "Precious Blessing Favour Esther Grace Abigail Chloe Kiara Nia Amara Zara Jada Hibo "
        "Sagal Ifrah"
    ),
    surnames=words(
        "Okafor Adeyemi Mensah Osei Boateng Mohamed Abdi Hassan Campbell Brown Williams "
        "Johnson Thomas Francis Morgan Clarke Moyo Ndlovu Okonkwo Adebayo Farah Warsame"
    ),
    ethnicity=("B2", "B1", "B2", "B9", "M1", "M2"),
    observed="IC3",
    nationality=("GB", "GB", "NG", "SO", "ZW"),
)

POLISH = Community(
    "polish",
    men=words("Piotr Krzysztof Tomasz Paweł Marcin Michał Łukasz Grzegorz Andrzej Jakub Mateusz"),
    women=words("Anna Katarzyna Magdalena Agnieszka Joanna Monika Ewa Małgorzata Aleksandra"),
    boys=words("Jakub Kacper Szymon Filip Antoni Adam Wiktor Oliwer Nikodem Franciszek"),
    girls=words("Zuzanna Julia Maja Lena Hanna Alicja Oliwia Natalia Wiktoria Zofia"),
    surnames=words(
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
        "Szymański Woźniak Dąbrowski Mazur"
    ),
    ethnicity=("W9", "W9", "W9", "NS"),
    observed="IC1",
    nationality=("PL", "PL", "GB"),
    feminine_suffix={"ski": "ska", "cki": "cka"},
)

ROMA = Community(
    "roma",
    men=words("Jozef Milan Ladislav Roman Stefan Dusan Ion Gheorghe Vasile Marian Florin Mihai"),
    women=words("Maria Elena Mariana Jana Marcela Helena Florentina Vlasta Renata"),
    boys=words("David Denis Patrik Samuel Kevin Dominik Alexandru Andrei Marek Tomas"),
    girls=words("Maria Denisa Nikola Veronika Simona Bianca Andreea Ioana Vanesa Sabina"),
    surnames=words("Lakatos Balog Horvath Kotlar Dudi Sivak Gabor Kaleja Oracko Popescu Stan Radu"),
    ethnicity=("W9", "W9", "W3", "NS"),
    observed="IC2",
    nationality=("SK", "CZ", "RO", "GB"),
)

KURDISH_ARAB = Community(
    "kurdish_arab",
    men=words("Ahmad Omar Karwan Rebwar Hiwa Hemin Saman Ali Mohammad Hassan Reza Amir"),
    women=words("Shilan Nazdar Rojin Avin Lana Sara Leila Zahra Maryam"),
    boys=words("Omar Yousif Ahmed Karim Aras Dilan Ali Yusuf"),
    girls=words("Shilan Rojin Avin Lana Sara Dilan Hana Roza"),
    surnames=words("Ahmadi Mohammadi Karimi Rasul Abdullah Aziz Mahmoud Hamid Osman Rahimi Amiri"),
    ethnicity=("O2", "O9", "A9", "NS"),
    observed="IC6",
    nationality=("IQ", "IR", "SY", "AF", "GB"),
)

EAST_ASIAN = Community(
    "east_asian",
    men=words("Wei Jun Ming Hao Tuan Minh Duc Kevin Jason"),
    women=words("Mei Li Xiu Hong Lan Yan Linh Anh"),
    boys=words("Ethan Ryan Leo Jun Lucas Minh Kai"),
    girls=words("Mei Lily Amy Jessica Linh Anh Chloe"),
    surnames=words("Chen Wang Li Zhang Liu Wong Lam Chan Nguyen Tran Pham Le"),
    ethnicity=("A4", "A4", "A9"),
    observed="IC5",
    nationality=("GB", "CN", "VN", "HK"),
)

COMMUNITIES = {
    c.key: c
    for c in (
        WHITE_BRITISH,
        PAKISTANI,
        BANGLADESHI,
        INDIAN,
        BLACK,
        POLISH,
        ROMA,
        KURDISH_ARAB,
        EAST_ASIAN,
    )
}

# Short forms and nicknames agencies record instead of the registered name.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Will", "Bill", "Billy", "Liam"),
    "James": ("Jim", "Jimmy", "Jamie"),
    "John": ("Jon", "Johnny", "Jack"),
    "Robert": ("Rob", "Bob", "Robbie"),
    "Richard": ("Rich", "Rick", "Richie"),
    "Michael": ("Mike", "Mick", "Mikey"),
    "Christopher": ("Chris",),
    "Thomas": ("Tom", "Tommy"),
    "Joseph": ("Joe", "Joey"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Anthony": ("Tony", "Ant"),
    "Stephen": ("Steve", "Stevie"),
    "Steven": ("Steve",),
    "Andrew": ("Andy", "Drew"),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben",),
    "Alexander": ("Alex",),
    "Joshua": ("Josh",),
    "Jacob": ("Jake",),
    "Oliver": ("Ollie",),
    "Frederick": ("Fred", "Freddie"),
    "Philip": ("Phil",),
    "Kevin": ("Kev",),
    "Elizabeth": ("Liz", "Lizzie", "Beth"),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Catherine": ("Cath", "Cathy", "Kate"),
    "Rebecca": ("Becky", "Becca"),
    "Samantha": ("Sam", "Sammy"),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jen", "Jenny"),
    "Jessica": ("Jess",),
    "Natalie": ("Nat",),
    "Amanda": ("Mandy",),
    "Susan": ("Sue",),
    "Nicola": ("Nicky",),
    "Danielle": ("Dani",),
    "Charlotte": ("Lottie", "Charlie"),
    "Abigail": ("Abbie", "Abby"),
    "Isabella": ("Bella", "Izzy"),
    "Olivia": ("Liv", "Livvy"),
    "Amelia": ("Millie",),
    "Eleanor": ("Ellie", "Nell"),
    "Mohammed": ("Mo",),
    "Muhammad": ("Mo",),
    "Mohammad": ("Mo",),
    "Ibrahim": ("Ibby",),
    "Abdullah": ("Abdul",),
    "Zakariya": ("Zak",),
    "Abdirahman": ("Abdi",),
    "Abdullahi": ("Abdi",),
    "Piotr": ("Peter",),
    "Paweł": ("Paul",),
    "Krzysztof": ("Chris",),
    "Jakub": ("Kuba", "Jacob"),
    "Małgorzata": ("Gosia",),
    "Katarzyna": ("Kasia", "Kate"),
    "Aleksandra": ("Ola",),
    "Gheorghe": ("George",),
    "Ion": ("John",),
    "Jozef": ("Joseph", "Joe"),
    "Wei": ("William",),
    "Jun": ("Jason",),
}

# Spellings of one name, as agencies transliterate or mishear it.
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("Mohammed", "Muhammad", "Mohammad", "Mohamed", "Muhammed", "Mohamad", "Mohammod"),
    ("Aisha", "Ayesha", "Aysha", "Ayisha", "Aishah"),
    ("Hussain", "Hussein", "Husain", "Hossain"),
    ("Chaudhry", "Chaudhary", "Choudhury", "Chowdhury", "Choudhry"),
    ("Yusuf", "Yousaf", "Yousuf", "Yusef", "Yousef"),
    ("Ahmed", "Ahmad"),
    ("Rehman", "Rahman"),
    ("Mahmood", "Mahmud", "Mehmood", "Mahmoud"),
    ("Fatima", "Fatimah", "Fatma"),
    ("Zainab", "Zaynab", "Zeinab"),
    ("Ibrahim", "Ebrahim", "Ibraheem"),
    ("Ismail", "Ismael", "Esmail"),
    ("Usman", "Osman", "Uthman"),
    ("Hamza", "Hamzah"),
    ("Khadija", "Khadijah", "Khadeeja"),
    ("Maryam", "Mariam"),
    ("Hafsa", "Hafsah"),
    ("Nasreen", "Nasrin"),
    ("Parveen", "Perveen", "Parvin"),
    ("Yasmin", "Yasmeen", "Yasmine"),
    ("Rashid", "Rasheed"),
    ("Javed", "Javaid"),
    ("Iqbal", "Ikbal"),
    ("Qureshi", "Kureshi"),
    ("Sadiq", "Saddique", "Siddique"),
    ("Abdirahman", "Abdurahman"),
    ("Miah", "Mia", "Meah"),
    ("Uddin", "Udin"),
    ("Kauser", "Kausar", "Kawsar"),
    ("Zakariya", "Zakaria", "Zakariyya"),
    ("Katie", "Katy", "Katey"),
    ("Kayleigh", "Kayley", "Kaylee", "Kailey"),
    ("Jayden", "Jaden", "Jaiden", "Jaydon"),
    ("Sophie", "Sofie"),
    ("Sophia", "Sofia"),
    ("Layla", "Leila", "Laila", "Leyla"),
    ("Lewis", "Louis"),
    ("Stephen", "Steven"),
    ("Philip", "Phillip"),
    ("Catherine", "Katherine", "Kathryn"),
    ("Rebecca", "Rebekah"),
    ("Sarah", "Sara"),
    ("Hannah", "Hanna"),
    ("Lily", "Lilly", "Lillie"),
    ("Shaun", "Shawn", "Sean"),
    ("Leanne", "Lianne"),
    ("Reece", "Rhys", "Reese"),
    ("Jodie", "Jodi"),
    ("Tia", "Tiah"),
    ("Paweł", "Pawel"),
    ("Michał", "Michal"),
    ("Łukasz", "Lukasz"),
    ("Małgorzata", "Malgorzata"),
    ("Wójcik", "Wojcik"),
    ("Woźniak", "Wozniak"),
    ("Wiśniewski", "Wisniewski"),
    ("Dąbrowski", "Dabrowski"),
    ("Zieliński", "Zielinski"),
    ("Kamiński", "Kaminski"),
    ("Szymański", "Szymanski"),
    ("Horvath", "Horváth"),
    ("Lakatos", "Lakatoš"),
    ("Dusan", "Dušan"),
    ("Nguyen", "Nguyễn"),
)

# Distinct names that look alike: twins and siblings are given these (Jack and Jake are two boys).
LOOKALIKE_PAIRS: tuple[tuple[str, str], ...] = (
    ("Jack", "Jake"),
    ("Jack", "James"),
    ("Mia", "Maya"),
    ("Ella", "Ellie"),
    ("Harry", "Harvey"),
    ("Olivia", "Oliver"),
    ("Noah", "Nora"),
    ("Leo", "Leon"),
    ("Amir", "Amira"),
    ("Hassan", "Hussain"),
    ("Ali", "Alia"),
    ("Zain", "Zara"),
    ("Adam", "Aidan"),
    ("Ryan", "Rhys"),
    ("Ava", "Eva"),
    ("Callum", "Connor"),
    ("Aisha", "Amina"),
    ("Hamza", "Hassan"),
    ("Ibrahim", "Ismail"),
    ("Daniel", "Danielle"),
    ("Louis", "Louise"),
    ("Jan", "Jana"),
    ("Usman", "Umar"),
    ("Lily", "Lola"),
    ("Kacper", "Kamil"),
    ("Hania", "Hana"),
)
FEMALE_LOOKALIKES = frozenset(
    words(
        "Mia Maya Ella Ellie Olivia Nora Amira Alia Zara Ava Eva Aisha Amina Danielle Louise Jana "
        "Lily Lola Hania Hana"
    )
)
