"""Page templates of the early web: 2001 tables and fonts, 2006 CMS sidebars, 2012 XHTML.

Each template prints a :class:`~tracker.demo.document.Document` inside the furniture of its
era (navigation, sidebars, footers, scripts) that extraction must strip, and returns the
bytes as the server sent them with their Content-Type.
"""

# The markup is written as the sites of each era wrote it, long lines and all.
# ruff: noqa: E501

from __future__ import annotations

from tracker.demo.document import Document, Site
from tracker.demo.markup import esc, nav_links, plain, sections_html, smart

Page = tuple[bytes, str]  # body, Content-Type


def page_2001(site: Site, doc: Document) -> Page:
    """A 760-pixel table layout of FrontPage days: uppercase tags, FONT, spacer GIFs.

    The text has Windows "smart" quotes and dashes, so it is encoded as cp1252 while the page
    (and the server) declare iso-8859-1: browsers read that as cp1252, and so must we.
    """

    def heading(text: str, anchor: str) -> str:
        return (
            f'<A NAME="{anchor}"></A><H2><FONT FACE="Arial" COLOR="{site.color}">{text}</FONT></H2>'
        )

    body = sections_html(doc, site, smart, heading=heading, p="<P>", li="<LI>")
    nav = nav_links(site, '<A HREF="{href}"><FONT COLOR="#FFFFFF">{label}</FONT></A><BR>\n')
    page = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">
<HTML><HEAD>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<META NAME="GENERATOR" CONTENT="Microsoft FrontPage 4.0">
<TITLE>{esc(site.company)} - Privacy Policy</TITLE>
<SCRIPT LANGUAGE="JavaScript"><!--
function MM_preloadImages() {{ /* rollover images */ }}
//--></SCRIPT>
</HEAD>
<BODY BGCOLOR="#FFFFFF" TEXT="#000000" LINK="{site.color}" onLoad="MM_preloadImages()">
<CENTER><TABLE WIDTH="760" BORDER="0" CELLPADDING="0" CELLSPACING="0">
<TR><TD COLSPAN="2"><IMG SRC="/images/logo.gif" WIDTH="760" HEIGHT="90" ALT="{esc(site.company)}"></TD></TR>
<TR><TD CLASS="nav" WIDTH="140" VALIGN="top" BGCOLOR="{site.color}"><FONT FACE="Arial" SIZE="2">
{nav}<IMG SRC="/images/spacer.gif" WIDTH="140" HEIGHT="1"></FONT></TD>
<TD WIDTH="620" VALIGN="top"><FONT FACE="Verdana, Arial" SIZE="2">
<H1><FONT FACE="Arial" SIZE="5" COLOR="{site.color}">{smart(doc.title)}</FONT></H1>
<P><I>Last updated: {esc(doc.updated)}</I></P>
{body}
</FONT></TD></TR>
<TR><TD COLSPAN="2" ALIGN="center"><DIV ID="footer"><FONT FACE="Arial" SIZE="1">
<A HREF="/">Home</A> | <A HREF="/help/">Customer Service</A> | <A HREF="/privacy">Privacy</A><BR>
Copyright &copy; 2001 {esc(site.company)}, Inc. All rights reserved.</FONT></DIV></TD></TR>
</TABLE></CENTER>
</BODY></HTML>
"""
    return page.replace("\n", "\r\n").encode("cp1252"), "text/html; charset=iso-8859-1"


def _frame_2006(site: Site, title: str, content: str) -> str:
    """The 2006 CMS page: header, left sidebar of links, a promo box, footer."""
    nav = nav_links(site, '<li><a href="{href}">{label}</a></li>')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)} | {esc(site.company)}</title>
<link rel="stylesheet" type="text/css" href="/themes/northwind/style.css" />
<script type="text/javascript" src="/misc/drupal.js"></script>
<script type="text/javascript">var urchinTracker = function () {{}}; urchinTracker();</script>
</head>
<body class="sidebar-left">
<div id="header"><a href="/" id="logo"><img src="/themes/northwind/logo.png" alt="Home" /></a>
<div id="site-slogan">{esc(site.tagline)}</div>
<form action="/search" method="get" id="search"><input type="text" name="q" /><input type="submit" value="Search" /></form></div>
<div id="navigation"><ul class="links primary-links">{nav}</ul></div>
<div id="sidebar-left" class="sidebar">
<h3>Customer Service</h3>
<ul><li><a href="/help/shipping">Shipping rates</a></li><li><a href="/help/returns">Returns and exchanges</a></li>
<li><a href="/help/sizing">Size charts</a></li><li><a href="/privacy">Privacy policy</a></li></ul>
<div class="block block-promo"><h3>Free shipping</h3><p>On orders over $75 - this week only.</p></div>
</div>
<div id="main"><div class="breadcrumb"><a href="/">Home</a> &raquo; Customer Service</div>
<div class="node">
{content}
</div></div>
<div id="footer">&copy; 2006 {esc(site.company)}, Inc. | <a href="/terms">Terms of use</a> | <a href="/privacy">Privacy</a></div>
</body>
</html>
"""


def page_2006(site: Site, doc: Document) -> Page:
    """A Drupal-style page: sidebars, search form, promo block and analytics script."""

    def heading(text: str, anchor: str) -> str:
        return f'<h2 id="{anchor}">{text}</h2>'

    content = (
        f'<h1 class="title">{plain(doc.title)}</h1>\n'
        f'<p class="updated">Last updated: {esc(doc.updated)}</p>\n'
        f"{sections_html(doc, site, plain, heading=heading)}"
    )
    return _frame_2006(site, "Privacy Policy", content).encode("utf-8"), "text/html; charset=utf-8"


def not_found_2006(site: Site) -> Page:
    """The CMS's "page not found" page, served with status 200 (a soft 404)."""
    content = (
        '<h1 class="title">Page not found</h1>\n'
        "<p>Sorry, the page you requested could not be found. It may have moved while we "
        "reorganise our site.</p>\n"
        '<p>Try the search box above, or go back to the <a href="/">home page</a>.</p>'
    )
    return _frame_2006(site, "Page not found", content).encode("utf-8"), "text/html; charset=utf-8"


def page_2012(site: Site, doc: Document) -> Page:
    """An HTML5-era page with a jQuery carousel header, share buttons and a fat footer."""

    def heading(text: str, anchor: str) -> str:
        return f'<h2 id="{anchor}" class="section-title">{text}</h2>'

    nav = nav_links(site, '<li class="menu-item"><a href="{href}">{label}</a></li>')
    page = f"""<!DOCTYPE html>
<!--[if lt IE 9]><html class="ie" lang="en"><![endif]-->
<!--[if gte IE 9]><!--><html lang="en"><!--<![endif]-->
<head>
<meta charset="utf-8">
<title>Privacy Policy - {esc(site.company)}</title>
<link rel="stylesheet" href="/assets/css/site.min.css?v=2012.5">
<script src="//ajax.googleapis.example/ajax/libs/jquery/1.7.2/jquery.min.js"></script>
<script>var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>
</head>
<body class="page-legal">
<div id="wrapper">
<div id="header" class="clearfix"><a class="logo" href="/">{esc(site.company)}</a>
<ul id="main-nav" class="menu">{nav}</ul>
<div class="header-cart"><a href="/cart">Cart (0)</a> | <a href="/account/login">Sign in</a></div></div>
<div id="content" class="clearfix">
<div class="share-buttons"><a class="fb-like" href="#">Like</a> <a class="twitter-share-button" href="#">Tweet</a></div>
<div class="legal-text">
<h1>{plain(doc.title)}</h1>
<p class="meta">Last updated: {esc(doc.updated)}</p>
{sections_html(doc, site, plain, heading=heading)}
</div>
</div>
<div id="footer" class="clearfix">
<div class="footer-col"><h4>Shop</h4><ul><li><a href="/tents/">Tents</a></li><li><a href="/packs/">Packs</a></li></ul></div>
<div class="footer-col"><h4>Help</h4><ul><li><a href="/help/">Customer Service</a></li><li><a href="/stores/">Find a store</a></li></ul></div>
<p class="copyright">&copy; 2012 {esc(site.company)}, Inc.</p>
</div>
</div>
</body>
</html>
"""
    return page.encode("utf-8"), "text/html; charset=UTF-8"
