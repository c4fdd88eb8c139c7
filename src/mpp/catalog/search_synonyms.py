"""How people write service names, as data for catalog.search.

Every table is applied to the templates and to the query alike, so a variant only has to map to
the same canonical form on both sides (it need not be the official word). Keys are folded text
(`mpp.core.text.fold`: lower case, no punctuation, so "KTP-el" is "ktp el" and "AK/1" is "ak 1").
"""

# Words that carry no meaning for finding a service. Single letters stay: "sim a", "sim c".
STOPWORDS = frozenset({
    "ada", "adalah", "agar", "aja", "aku", "apa", "apakah", "atau", "bagaimana", "bagi", "bang",
    "bapak", "berapa", "bisa", "biaya", "bu", "buk", "cara", "caranya", "cari", "dan", "dari",
    "deh", "dengan", "dgn", "di", "dimana", "dong", "dulu", "ga", "gak", "gimana", "gmn", "harus",
    "hrs", "ibu", "ingin", "ini", "itu", "jika", "juga", "kak", "kalau", "kami", "kapan",
    "karena", "ke", "kok", "lagi", "lama", "mana", "mau", "mengurus", "mo", "mohon", "nya",
    "ngurus", "nih", "online", "onlen", "pak", "pengurusan", "perlu", "proses", "saya", "secara",
    "serta", "syarat", "syaratnya", "persyaratan", "tentang", "tidak", "tolong", "untuk", "urus",
    "urusan", "utk", "via", "yang", "yg", "an", "and", "apply", "do", "for", "get", "how", "i",
    "my", "of", "the", "to", "with"
})  # fmt: skip

# Multi-word forms -> canonical text. They match after stopwords are dropped and WORDS has mapped
# single words, so keys are written that way ("izin", not "ijin"; no "dan"). Longest first.
PHRASES = {
    "kartu tanda penduduk": "ktp",
    "kartu penduduk": "ktp",
    "ktp el": "ktp",
    "e ktp": "ktp",
    "ktp elektronik": "ktp",
    "kartu keluarga": "kk",
    "kartu identitas anak": "kia",
    "surat izin mengemudi": "sim",
    "surat keterangan catatan kepolisian": "skck",
    "surat kelakuan baik": "skck",
    "surat berkelakuan baik": "skck",
    "kelakuan baik": "skck",
    "surat tanda nomor kendaraan": "stnk",
    "nomor pokok wajib pajak": "npwp",
    "nomor induk berusaha": "nib",
    "izin mendirikan bangunan": "pbg",
    "izin membangun": "pbg",
    "izin bangun": "pbg",
    "persetujuan bangunan gedung": "pbg",
    "jaminan hari tua": "jht",
    "kartu kuning": "ak1",
    "ak 1": "ak1",
    "pencari kerja": "ak1 pencari kerja",
    "pajak bumi bangunan": "pbb",
    "bantuan sosial": "bansos",
    "kartu indonesia sehat": "kis",
    "bpjs kes": "bpjs kesehatan",
    "e paspor": "paspor elektronik",
    "air minum": "air pdam",
    "tnkb nomor": "tnkb",
    "nomor polisi": "tnkb",
    "driving licence": "sim",
    "driving license": "sim",
    "id card": "ktp",
    "family card": "kk",
    "birth certificate": "akta kelahiran",
    "death certificate": "akta kematian",
    "police clearance": "skck",
}

# Single words (spelling variants, slang, abbreviations, old names) -> canonical word(s).
# Applied to the folded word and again to its stem (so "perkawinan" -> "kawin" -> "nikah").
WORDS = {
    # spelling variants
    "akte": "akta",
    "sertifikat": "sertipikat",
    "sertipikasi": "sertipikat",
    "sertifikasi": "sertipikat",
    "praktek": "praktik",
    "ijin": "izin",
    "pasport": "paspor",
    "passport": "paspor",
    "pasfoto": "foto",
    "poto": "foto",
    "photo": "foto",
    "pelat": "tnkb",
    "plat": "tnkb",
    "propinsi": "provinsi",
    "ektp": "ktp",
    "epaspor": "paspor elektronik",
    "mpaspor": "paspor",
    # slang and everyday verbs
    "bikin": "buat",
    "bikinin": "buat",
    "terbit": "buat",  # the root of "penerbitan"
    "ilang": "hilang",
    "kawin": "nikah",
    "menikah": "nikah",
    "nikahan": "nikah",
    "meninggal": "mati",
    "wafat": "mati",
    "lahiran": "lahir",
    "bayi": "anak",
    "cairin": "cair",
    "cairkan": "cair",
    "perpanjangin": "panjang",
    "daftarin": "daftar",
    "registrasi": "daftar",
    "periksa": "cek",
    "kece": "cek",  # Sastrawi's stem of "pengecekan"
    # abbreviations and names people use
    "dukcapil": "disdukcapil",
    "capil": "disdukcapil",
    "kitas": "imigrasi",
    "jamsostek": "bpjs ketenagakerjaan",
    "bpjamsostek": "bpjs ketenagakerjaan",
    "tk": "ketenagakerjaan",
    "pencaker": "ak1",
    "imb": "pbg",
    "siup": "nib",
    "tdp": "nib",
    "pln": "pln listrik",
    "ledeng": "air pdam",
    "leding": "air pdam",
    "pam": "pdam",
    "sppt": "sppt pbb",
    "shm": "sertipikat",
    "pkb": "pkb pajak kendaraan",
    "bansos": "bansos dtks",
    "miskin": "dtks",
    "puskesmas": "faskes",
    "klinik": "faskes",
}

# Stems Sastrawi gets wrong for words in the catalogue (or that people type).
STEM_OVERRIDES = {
    "menikah": "nikah",
    "pengecekan": "cek",
    "perawat": "rawat",
    "pengesahan": "sah",
    "peserta": "peserta",
    "penduduk": "penduduk",
    "kependudukan": "penduduk",
}
