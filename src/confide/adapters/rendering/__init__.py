"""Documents rendered for people (the access file in JSON, CSV, HTML and PDF): what the
request service is given to answer an individual, wired in ``bootstrap``; its templates are
package data next to it."""
