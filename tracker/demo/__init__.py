"""The demo: invented privacy-policy histories shipped as WARC files, and `redline demo`.

``captures`` says what the archive holds, ``build`` writes it to ``data/*.warc.gz`` and
``run`` serves those files on 127.0.0.1, backfills them into a database and reports.
"""
