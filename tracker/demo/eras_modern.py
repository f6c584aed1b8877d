"""Page templates of the responsive web: 2016 WordPress, 2020 Bootstrap, 2024 a React app.

Like :mod:`tracker.demo.eras`, each prints a document inside its era's furniture: navigation,
cookie banners, "on this page" menus, footers, tracking scripts and inline SVG icons.
"""

# The markup is written as the sites of each era wrote it, long lines and all.
# ruff: noqa: E501

from __future__ import annotations

import json

from tracker.demo.document import Document, Site
from tracker.demo.eras import Page
from tracker.demo.markup import anchor, esc, nav_links, sections_html, smart


def page_2016(site: Site, doc: Document) -> Page:
    """A responsive WordPress theme: hamburger nav, cookie banner, widgets in the footer."""

    def heading(text: str, anchor: str) -> str:
        return f'<h2 id="{anchor}">{text}</h2>'

    nav = nav_links(site, '<li class="menu-item"><a href="{href}">{label}</a></li>')
    page = f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Privacy Policy &#8211; {esc(site.company)}</title>
<link rel="stylesheet" id="northwind-style-css" href="/wp-content/themes/northwind/style.css?ver=4.6" media="all">
<script src="/wp-includes/js/jquery/jquery.js?ver=1.12.4"></script>
<script>(function(i,s,o,g,r){{i['GoogleAnalyticsObject']=r;}})(window,document,'script','//analytics.example/a.js','ga');</script>
</head>
<body class="page-template-default page">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header class="site-header" role="banner"><div class="site-branding"><p class="site-title"><a href="/">{esc(site.company)}</a></p>
<p class="site-description">{esc(site.tagline)}</p></div>
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">Menu</button>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{nav}</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article class="page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{smart(doc.title)}</h1>
<p class="entry-meta">Last updated: <time datetime="2016">{esc(doc.updated)}</time></p></header>
<div class="entry-content">
{sections_html(doc, site, smart, heading=heading)}
</div></article></main></div>
<footer class="site-footer" role="contentinfo"><div class="widget-area">
<section class="widget"><h2 class="widget-title">Newsletter</h2><p>Trip ideas and sales, twice a month.</p></section>
<section class="widget"><h2 class="widget-title">Follow us</h2><p>Instagram &middot; Facebook &middot; Twitter</p></section></div>
<div class="site-info">&copy; 2016 {esc(site.company)}, Inc.</div></footer>
<div id="cookie-notice" class="cookie-banner" role="dialog"><p>We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies.</p>
<a href="#" class="cn-accept">Got it</a></div>
</body>
</html>
"""
    return page.encode("utf-8"), "text/html; charset=UTF-8"


def _toc(doc: Document) -> str:
    """The "on this page" menu: a link to each section."""
    return "".join(
        f'<a class="list-group-item" href="#{anchor(s.heading)}">{smart(s.heading)}</a>'
        for s in doc.sections
    )


def page_2020(site: Site, doc: Document) -> Page:
    """A Bootstrap 4 page: sticky navbar, an "on this page" menu, a consent manager's banner
    and the "Do Not Sell My Personal Information" link in the footer."""

    def heading(text: str, anchor: str) -> str:
        return f'<h2 id="{anchor}" class="h4 mt-5 mb-3">{text}</h2>'

    nav = nav_links(site, '<li class="nav-item"><a class="nav-link" href="{href}">{label}</a></li>')
    toc = _toc(doc)
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no">
<title>Privacy Policy | {esc(site.company)}</title>
<link rel="stylesheet" href="/static/css/bootstrap.min.css">
<script async src="https://tags.example/gtag/js?id=G-NW2020"></script>
</head>
<body>
<nav class="navbar navbar-expand-lg navbar-light bg-light sticky-top"><a class="navbar-brand" href="/">{esc(site.company)}</a>
<button class="navbar-toggler" type="button" data-toggle="collapse" data-target="#nav"><span class="navbar-toggler-icon"></span></button>
<div class="collapse navbar-collapse" id="nav"><ul class="navbar-nav mr-auto">{nav}</ul></div></nav>
<div class="container my-5"><div class="row">
<aside class="col-md-3 d-none d-md-block"><nav aria-label="On this page" class="list-group sticky-top">{toc}</nav></aside>
<main class="col-md-9" id="main">
<h1 class="display-5">{smart(doc.title)}</h1>
<p class="text-muted">Last updated: {esc(doc.updated)}</p>
{sections_html(doc, site, smart, heading=heading)}
</main></div></div>
<footer class="footer bg-dark text-light py-4"><div class="container">
<a href="/terms">Terms</a> &middot; <a href="/privacy">Privacy</a> &middot; <a href="/ccpa-opt-out">Do Not Sell My Personal Information</a>
<p class="small">&copy; 2020 {esc(site.company)}, Inc.</p></div></footer>
<div id="onetrust-consent-sdk"><div id="onetrust-banner-sdk" role="dialog" aria-label="Cookie banner">
<p>We and our partners use cookies to personalise content and ads. <a href="#">Cookie settings</a></p>
<button id="onetrust-accept-btn-handler">Accept all cookies</button></div></div>
<script src="/static/js/bootstrap.bundle.min.js"></script>
</body>
</html>
"""
    return page.encode("utf-8"), "text/html; charset=utf-8"


_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" class="h-5 w-5" '
    'aria-hidden="true"><path d="M12 2 2 7l10 5 10-5-10-5z"></path></svg>'
)


def page_2024(site: Site, doc: Document) -> Page:
    """A server-rendered React app: utility classes, nested wrappers, SVG icons, JSON-LD,
    hydration data and a consent dialog."""

    def heading(text: str, anchor: str) -> str:
        return (
            f'<div class="group relative mt-12"><h2 id="{anchor}" class="scroll-mt-24 text-2xl '
            f'font-semibold tracking-tight"><span>{text}</span></h2></div>'
        )

    nav = nav_links(
        site, '<a class="text-sm text-stone-600 hover:text-stone-900" href="{href}">{label}</a>'
    )
    ld = json.dumps({"@context": "https://schema.org", "@type": "WebPage", "name": doc.title})
    state = json.dumps({"props": {"pageProps": {"slug": "privacy", "locale": "en-US"}}})
    content = sections_html(
        doc, site, smart, heading=heading, p='<p class="leading-7 [&amp;:not(:first-child)]:mt-6">'
    )
    page = f"""<!DOCTYPE html><html lang="en" class="scroll-smooth"><head><meta charSet="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/><title>Privacy Policy | {esc(site.company)}</title>
<link rel="stylesheet" href="/_next/static/css/4f1e.css" data-precedence="next"/>
<script type="application/ld+json">{ld}</script><script src="/_next/static/chunks/webpack-9c1d.js" async=""></script></head>
<body class="min-h-screen bg-stone-50 font-sans antialiased"><a href="#main" class="sr-only focus:not-sr-only">Skip to main content</a>
<div id="__next"><div class="flex min-h-screen flex-col"><header class="sticky top-0 z-40 border-b bg-white/80 backdrop-blur">
<div class="mx-auto flex h-16 max-w-6xl items-center gap-8 px-4"><a href="/" class="flex items-center gap-2 font-bold">{_ICON}<span>{esc(site.company)}</span></a>
<nav class="hidden gap-6 md:flex">{nav}</nav><button type="button" aria-label="Open cart" class="ml-auto">{_ICON}</button></div></header>
<div class="mx-auto w-full max-w-6xl flex-1 px-4"><div class="grid grid-cols-1 gap-10 lg:grid-cols-[1fr_220px]">
<main id="main" class="py-10"><div class="mx-auto w-full min-w-0"><nav aria-label="Breadcrumb" class="mb-4 text-sm"><ol class="flex gap-1"><li><a href="/">Home</a></li><li>/</li><li><a href="/legal">Legal</a></li></ol></nav>
<div class="space-y-2"><h1 class="text-4xl font-bold tracking-tight"><span class="inline-flex items-center gap-2">{_ICON}<span>{smart(doc.title)}</span></span></h1>
<p class="text-stone-500"><span class="font-medium">Last updated:</span> <time dateTime="2024">{esc(doc.updated)}</time></p></div>
<div class="prose prose-stone max-w-none pt-8"><div class="mdx"><div>{content}</div></div></div></div></main>
<aside class="hidden lg:block"><div class="sticky top-24 py-10"><p class="font-medium">On this page</p></div></aside></div></div>
<footer class="border-t bg-white"><div class="mx-auto max-w-6xl px-4 py-8 text-sm text-stone-500"><a href="/ccpa-opt-out">Your Privacy Choices</a> · © 2024 {esc(site.company)}, Inc.</div></footer></div></div>
<div role="dialog" aria-label="Cookie consent" class="fixed bottom-4 right-4 rounded-xl bg-white p-4 shadow-lg"><p>We use cookies to improve your experience.</p><button type="button">Accept</button><button type="button">Reject</button></div>
<script id="__NEXT_DATA__" type="application/json">{state}</script></body></html>
"""
    return page.encode("utf-8"), "text/html; charset=utf-8"
