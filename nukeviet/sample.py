"""A NukeViet-shaped MariaDB database for the import's tests and benchmark.

The tables carry the columns the importer reads, with NukeViet 4.x's names and types (from
the public install scripts of the news, comment, laws and banners modules and the core
counter table); columns the importer ignores are left out. `generate` fills it with N
ordinary articles and their comments, fast (multi-row INSERTs).
"""

from __future__ import annotations

import random
import time

import pymysql


def schema(prefix: str = "nv4", lang: str = "vi", module: str = "news", laws: str = "laws"):
    n = f"{prefix}_{lang}_{module}"
    lw = f"{prefix}_{lang}_{laws}"
    return [
        f"""CREATE TABLE {n}_cat (
            catid SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            parentid SMALLINT UNSIGNED NOT NULL DEFAULT 0,
            title VARCHAR(250) NOT NULL, alias VARCHAR(250) NOT NULL DEFAULT '',
            description TEXT, weight SMALLINT UNSIGNED NOT NULL DEFAULT 0,
            sort SMALLINT NOT NULL DEFAULT 0, lev SMALLINT NOT NULL DEFAULT 0,
            inhome TINYINT UNSIGNED NOT NULL DEFAULT 1, UNIQUE KEY alias (alias))""",
        f"""CREATE TABLE {n}_sources (
            sourceid MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            title VARCHAR(250) NOT NULL DEFAULT '', link VARCHAR(255) DEFAULT '',
            weight MEDIUMINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {n}_block_cat (
            bid SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            title VARCHAR(250) NOT NULL DEFAULT '', alias VARCHAR(250) NOT NULL DEFAULT '')""",
        f"""CREATE TABLE {n}_block (
            bid SMALLINT UNSIGNED NOT NULL, id INT UNSIGNED NOT NULL,
            weight INT UNSIGNED NOT NULL, UNIQUE KEY bid (bid, id))""",
        f"""CREATE TABLE {n}_rows (
            id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            catid SMALLINT UNSIGNED NOT NULL DEFAULT 0, listcatid VARCHAR(255) NOT NULL DEFAULT '',
            topicid SMALLINT UNSIGNED NOT NULL DEFAULT 0, admin_id MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            author VARCHAR(250) DEFAULT '', sourceid MEDIUMINT NOT NULL DEFAULT 0,
            addtime INT UNSIGNED NOT NULL DEFAULT 0, edittime INT UNSIGNED NOT NULL DEFAULT 0,
            status TINYINT NOT NULL DEFAULT 1, weight INT UNSIGNED NOT NULL DEFAULT 0,
            publtime INT UNSIGNED NOT NULL DEFAULT 0, exptime INT UNSIGNED NOT NULL DEFAULT 0,
            archive TINYINT UNSIGNED NOT NULL DEFAULT 0,
            title VARCHAR(250) NOT NULL DEFAULT '', alias VARCHAR(250) NOT NULL DEFAULT '',
            hometext TEXT NOT NULL, homeimgfile VARCHAR(255) DEFAULT '',
            homeimgalt VARCHAR(255) DEFAULT '', homeimgthumb TINYINT NOT NULL DEFAULT 0,
            inhome TINYINT UNSIGNED NOT NULL DEFAULT 0, allowed_comm VARCHAR(255) DEFAULT '',
            allowed_rating TINYINT UNSIGNED NOT NULL DEFAULT 0,
            external_link TINYINT UNSIGNED NOT NULL DEFAULT 0,
            hitstotal MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            hitscm MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            total_rating INT NOT NULL DEFAULT 0, click_rating INT NOT NULL DEFAULT 0,
            KEY catid (catid), KEY publtime (publtime))""",
        # bodyhtml is binary here so a test can store bytes that are not UTF-8, as
        # hand-converted old databases sometimes hold; the importer decodes either kind.
        f"""CREATE TABLE {n}_detail (
            id INT UNSIGNED NOT NULL PRIMARY KEY, titlesite VARCHAR(255) NOT NULL DEFAULT '',
            description TEXT, bodyhtml LONGBLOB NOT NULL, sourcetext VARCHAR(255) DEFAULT '',
            imgposition TINYINT NOT NULL DEFAULT 1)""",
        f"""CREATE TABLE {n}_tags (
            tid MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            numnews MEDIUMINT NOT NULL DEFAULT 0, title VARCHAR(250) NOT NULL DEFAULT '',
            alias VARCHAR(250) NOT NULL DEFAULT '', description TEXT,
            keywords VARCHAR(255) DEFAULT '', UNIQUE KEY alias (alias))""",
        f"""CREATE TABLE {n}_tags_id (
            id INT NOT NULL, tid MEDIUMINT NOT NULL, keyword VARCHAR(65) NOT NULL,
            UNIQUE KEY id_tid (id, tid), KEY tid (tid))""",
        f"""CREATE TABLE {prefix}_{lang}_comment (
            cid MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            module VARCHAR(55) NOT NULL, area TINYINT NOT NULL DEFAULT 0,
            id MEDIUMINT UNSIGNED NOT NULL DEFAULT 0, pid MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            content TEXT NOT NULL, post_time INT UNSIGNED NOT NULL DEFAULT 0,
            userid MEDIUMINT UNSIGNED NOT NULL DEFAULT 0, post_name VARCHAR(100) NOT NULL,
            post_email VARCHAR(100) NOT NULL, post_ip VARCHAR(46) NOT NULL DEFAULT '',
            status TINYINT UNSIGNED NOT NULL DEFAULT 0, KEY mod_id (module, area, id))""",
        f"""CREATE TABLE {lw}_cat (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            parentid SMALLINT UNSIGNED NOT NULL DEFAULT 0, alias VARCHAR(249) NOT NULL,
            title VARCHAR(249) NOT NULL, weight SMALLINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {lw}_subject (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, alias VARCHAR(250) NOT NULL,
            title VARCHAR(250) NOT NULL, weight SMALLINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {lw}_area (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            parentid SMALLINT UNSIGNED NOT NULL DEFAULT 0, alias VARCHAR(249) NOT NULL,
            title VARCHAR(249) NOT NULL, weight SMALLINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {lw}_signer (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(255) NOT NULL,
            offices VARCHAR(255) NOT NULL DEFAULT '', positions VARCHAR(255) NOT NULL DEFAULT '')""",
        f"""CREATE TABLE {lw}_row (
            id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
            replacement VARCHAR(255) NOT NULL DEFAULT '', relatement VARCHAR(255) NOT NULL DEFAULT '',
            title VARCHAR(255) NOT NULL, alias VARCHAR(255) NOT NULL, code VARCHAR(50) NOT NULL,
            cid SMALLINT UNSIGNED NOT NULL DEFAULT 0, sid SMALLINT UNSIGNED NOT NULL DEFAULT 0,
            eid SMALLINT UNSIGNED NOT NULL DEFAULT 0, sgid SMALLINT UNSIGNED NOT NULL DEFAULT 0,
            note TEXT NOT NULL, introtext TEXT NOT NULL, bodytext TEXT NOT NULL,
            files MEDIUMTEXT NOT NULL, status TINYINT NOT NULL, addtime INT NOT NULL DEFAULT 0,
            publtime INT NOT NULL DEFAULT 0, startvalid INT NOT NULL DEFAULT 0,
            exptime INT NOT NULL DEFAULT 0, view_hits MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            download_hits MEDIUMINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {lw}_examine (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(250) NOT NULL,
            weight SMALLINT UNSIGNED NOT NULL DEFAULT 0)""",
        # The page module (module `about`, "Giới thiệu"; also `siteterms`): modules/page.
        f"""CREATE TABLE {prefix}_{lang}_about (
            id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(255) NOT NULL,
            alias VARCHAR(255) NOT NULL, image VARCHAR(255) DEFAULT '',
            imagealt VARCHAR(255) DEFAULT '', description TEXT, bodytext MEDIUMTEXT NOT NULL,
            keywords TEXT, socialbutton TINYINT NOT NULL DEFAULT 0,
            activecomm TINYINT NOT NULL DEFAULT 0, layout_func VARCHAR(100) DEFAULT '',
            gid MEDIUMINT NOT NULL DEFAULT 0, weight SMALLINT NOT NULL DEFAULT 0,
            admin_id MEDIUMINT UNSIGNED NOT NULL DEFAULT 0, add_time INT NOT NULL DEFAULT 0,
            edit_time INT NOT NULL DEFAULT 0, status TINYINT UNSIGNED NOT NULL DEFAULT 0,
            UNIQUE KEY alias (alias))""",
        f"""CREATE TABLE {n}_authorlist (
            id INT NOT NULL, aid MEDIUMINT NOT NULL, alias VARCHAR(100) NOT NULL,
            pseudonym VARCHAR(100) NOT NULL, UNIQUE KEY id_aid (id, aid))""",
        f"""CREATE TABLE {lw}_row_area (
            row_id INT UNSIGNED NOT NULL, area_id SMALLINT UNSIGNED NOT NULL,
            UNIQUE KEY alias (row_id, area_id))""",
        f"""CREATE TABLE {lw}_set_replace (
            id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
            oid MEDIUMINT UNSIGNED NOT NULL DEFAULT 0, nid MEDIUMINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {prefix}_banners_plans (
            id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, blang CHAR(2) DEFAULT '',
            title VARCHAR(250) NOT NULL, form VARCHAR(100) NOT NULL,
            width SMALLINT UNSIGNED NOT NULL DEFAULT 0, height SMALLINT UNSIGNED NOT NULL DEFAULT 0,
            act TINYINT UNSIGNED NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {prefix}_banners_rows (
            id MEDIUMINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(255) NOT NULL,
            pid SMALLINT UNSIGNED NOT NULL DEFAULT 0, file_name VARCHAR(255) NOT NULL,
            file_ext VARCHAR(100) NOT NULL, file_mime VARCHAR(100) NOT NULL,
            width INT UNSIGNED NOT NULL DEFAULT 0, height INT UNSIGNED NOT NULL DEFAULT 0,
            file_alt VARCHAR(255) DEFAULT '', click_url VARCHAR(255) DEFAULT '',
            add_time INT UNSIGNED NOT NULL DEFAULT 0, publ_time INT UNSIGNED NOT NULL DEFAULT 0,
            exp_time INT UNSIGNED NOT NULL DEFAULT 0, hits_total MEDIUMINT UNSIGNED NOT NULL DEFAULT 0,
            act TINYINT UNSIGNED NOT NULL DEFAULT 0, weight INT NOT NULL DEFAULT 0)""",
        f"""CREATE TABLE {prefix}_counter (
            c_type VARCHAR(100) NOT NULL, c_val VARCHAR(100) NOT NULL,
            last_update INT NOT NULL DEFAULT 0, c_count INT UNSIGNED NOT NULL DEFAULT 0,
            {lang}_count INT UNSIGNED NOT NULL DEFAULT 0, UNIQUE KEY c_type (c_type, c_val))""",
    ]


def connect(database: str | None = None, host="127.0.0.1", port=3306, user="root", password=""):
    return pymysql.connect(
        host=host, port=port, user=user, password=password, database=database,
        charset="utf8mb4", autocommit=True, connect_timeout=3,
    )  # fmt: skip


def create_database(name: str, **conn) -> pymysql.Connection:
    """Drop and create `name` with the NukeViet tables; return a connection to it."""
    server = connect(**conn)
    with server.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    server.close()
    db = connect(name, **conn)
    with db.cursor() as cur:
        for statement in schema():
            cur.execute(statement)
    return db


def drop_database(name: str, **conn) -> None:
    server = connect(**conn)
    with server.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    server.close()


WORDS = (
    "tỉnh ủy ban tuyên giáo hội nghị triển khai nghị quyết đại hội đảng bộ nhân dân "
    "phát triển kinh tế xã hội văn hóa giáo dục y tế nông thôn mới chuyển đổi số cán bộ"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def generate(db, n_articles: int, comments_per_article: int = 3, seed: int = 1) -> None:
    """Fill an empty database with categories, tags and n ordinary articles with comments."""
    rng = random.Random(seed)
    now = int(time.time())
    with db.cursor() as cur:
        cur.executemany(
            "INSERT INTO nv4_vi_news_cat (catid, parentid, title, alias, weight) VALUES (%s,%s,%s,%s,%s)",
            [(i, 0 if i <= 5 else (i - 1) % 5 + 1, f"Chuyên mục {i}", f"chuyen-muc-{i}", i)
             for i in range(1, 21)],
        )  # fmt: skip
        cur.executemany(
            "INSERT INTO nv4_vi_news_tags (tid, title, alias) VALUES (%s,%s,%s)",
            [(i, f"thẻ {i}", f"the-{i}") for i in range(1, 201)],
        )
        cur.execute(
            "INSERT INTO nv4_counter (c_type, c_val, c_count) VALUES ('total','hits',123456789)"
        )
        cid = 0
        for start in range(1, n_articles + 1, 1000):
            ids = range(start, min(start + 1000, n_articles + 1))
            rows, details, tags, comments = [], [], [], []
            for i in ids:
                title = _sentence(rng, 10)
                publ = now - rng.randint(3600, 10 * 365 * 86400)
                rows.append((
                    i, rng.randint(1, 20), "", "Phóng viên", publ, publ, 1, publ,
                    title, f"bai-viet-{i}", _sentence(rng, 30), "6", 1,
                    rng.randint(0, 5000), rng.randint(0, 50), rng.randint(0, 10),
                ))  # fmt: skip
                body = "".join(f"<p>{_sentence(rng, 40)}</p>" for _ in range(8))
                details.append((i, body.encode(), ""))
                tags.extend((i, t, f"thẻ {t}") for t in rng.sample(range(1, 201), 2))
                for _ in range(comments_per_article):
                    cid += 1
                    comments.append((
                        cid, "news", i, 0, _sentence(rng, 15), publ + 600,
                        "Bạn đọc", "ban.doc@example.vn", 1 if rng.random() < 0.9 else 0,
                    ))  # fmt: skip
            cur.executemany(
                "INSERT INTO nv4_vi_news_rows (id, catid, listcatid, author, addtime, edittime,"
                " status, publtime, title, alias, hometext, allowed_comm, allowed_rating,"
                " hitstotal, total_rating, click_rating)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                rows,
            )
            cur.executemany(
                "INSERT INTO nv4_vi_news_detail (id, bodyhtml, sourcetext) VALUES (%s,%s,%s)",
                details,
            )
            cur.executemany(
                "INSERT INTO nv4_vi_news_tags_id (id, tid, keyword) VALUES (%s,%s,%s)", tags
            )
            cur.executemany(
                "INSERT INTO nv4_vi_comment (cid, module, id, pid, content, post_time, post_name,"
                " post_email, status) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                comments,
            )
