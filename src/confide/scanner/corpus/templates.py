"""Sentence templates of support notes, emails, chat transcripts and CSV exports.

``{ENTITY}`` placeholders become labelled values; ``{NEG}`` a hard negative (unlabelled);
``{CITY}`` and ``{PROV}`` plain words. A few sentences name a person with no cue at
all: real notes do, and the benchmark should count what cue-based detection misses.
"""

from __future__ import annotations

EN_NOTE = (
    "Customer {PERSON} called about a billing issue.",
    "Spoke with Mr. {LAST} about the late fee.",
    "Spoke with Ms. {LAST}; she asked for a payment plan.",
    "Caller verified identity with SIN {SIN}.",
    "Her social insurance number is {SIN}.",
    "Client gave {SIN} for the credit check.",
    "Card on file: {CARD}, expires 09/27.",
    "Payment taken with credit card {CARD}.",
    "Updated phone number to {PHONE}.",
    "Please call back at {PHONE} after 5 pm.",
    "Reach them at {PHONE}.",
    "Email on file changed to {EMAIL}.",
    "Sent the invoice to {EMAIL}.",
    "New mailing address: {ADDRESS_EN}, {CITY}, {PROV} {POSTAL}.",
    "Ship the replacement modem to {ADDRESS_EN}, {CITY} {PROV} {POSTAL}.",
    "Date of birth: {DOB}.",
    "Customer was born on {DOB}.",
    "Login from IP {IPV4} was flagged by fraud.",
    "The session came from {IPV6}.",
    "Direct deposit bank account {BANK} set up.",
    "Driver's licence {DL} used as ID.",
    "Health card {HEALTH} shown at the counter.",
    "Passport number {PASSPORT} scanned for the file.",
    "Customer referred to {NEG}.",
    "See {NEG} for details.",
    "Ticket updated at {NEG}.",
    "Modem replaced under warranty, {NEG}.",
    "No further action needed.",
    "Escalated to tier 2 after the third outage this month.",
)
FR_NOTE = (
    "Le client {PERSON} a appelé au sujet de sa facture.",
    "Discuté avec M. {LAST} des frais de retard.",
    "Discuté avec Mme {LAST}, qui demande une entente de paiement.",
    "Identité vérifiée avec le NAS {SIN}.",
    "Son numéro d'assurance sociale est le {SIN}.",
    "La cliente a donné {SIN} pour la vérification de crédit.",
    "Carte au dossier : {CARD}, expire 09/27.",
    "Paiement par carte de crédit {CARD}.",
    "Numéro de téléphone mis à jour : {PHONE}.",
    "Rappeler au {PHONE} après 17 h.",
    "On peut le joindre au {PHONE}.",
    "Courriel modifié pour {EMAIL}.",
    "Facture envoyée à {EMAIL}.",
    "Nouvelle adresse postale : {ADDRESS_FR}, {CITY} ({PROV}) {POSTAL}.",
    "Envoyer le modem de remplacement au {ADDRESS_FR}, {CITY} {PROV} {POSTAL}.",
    "Date de naissance : {DOB}.",
    "Le client est né le {DOB}.",
    "Connexion depuis l'adresse IP {IPV4} signalée par la fraude.",
    "La session venait de {IPV6}.",
    "Compte bancaire {BANK} pour le dépôt direct.",
    "Permis de conduire {DL} présenté comme pièce d'identité.",
    "Carte d'assurance maladie {HEALTH} présentée au comptoir.",
    "Numéro de passeport {PASSPORT} numérisé au dossier.",
    "Le client parle de la {NEG}.",
    "Voir {NEG} pour les détails.",
    "Billet mis à jour le {NEG}.",
    "Modem remplacé sous garantie, {NEG}.",
    "Aucune autre action requise.",
    "Transféré au niveau 2 après la troisième panne ce mois-ci.",
)
EN_GREETINGS = ("Hi", "Hello", "Dear", "Good morning")
FR_GREETINGS = ("Bonjour", "Bonsoir", "Salut")
EN_SIGNOFFS = ("Thanks", "Regards", "Best regards", "Thank you")
FR_SIGNOFFS = ("Merci", "Cordialement", "Salutations")
EN_SUBJECTS = ("Question about my bill", "Moving soon", "Refund request", "Account update")
FR_SUBJECTS = ("Question sur ma facture", "Déménagement", "Demande de remboursement")
EN_CHAT = (
    "Agent: Hello, my name is {FIRST}, how can I help?",
    "Client: my phone is {PHONE}",
    "Client: you can email me at {EMAIL}",
    "Agent: can you confirm your postal code?",
    "Client: {POSTAL}",
    "Client: my SIN is {SIN}",
    "Agent: thank you, I see order {NEG}",
    "Client: the card ending {NEG} is expired",
    "Agent: is your address still {ADDRESS_EN}?",
    "Client: yes",
)
FR_CHAT = (
    "Agent : Bonjour, je m'appelle {FIRST}, comment puis-je vous aider?",
    "Client : mon téléphone est le {PHONE}",
    "Client : vous pouvez m'écrire à {EMAIL}",
    "Agent : pouvez-vous confirmer votre code postal?",
    "Client : {POSTAL}",
    "Client : mon NAS est {SIN}",
    "Agent : merci, je vois la {NEG}",
    "Agent : votre adresse est-elle toujours le {ADDRESS_FR}?",
    "Client : oui",
)
CSV_HEADER = "name,email,phone,postal_code,sin,card_number,notes"
CSV_ROW = "{PERSON},{EMAIL},{PHONE},{POSTAL},{SIN},{CARD},{NEG}"

# Sentences of ordinary support prose with no personal information: real tickets are
# mostly this, with personal information here and there.
EN_PROSE = (
    "Customer reports intermittent internet outages since Tuesday evening.",
    "Rebooted the modem remotely and the signal levels came back within range.",
    "Explained the difference between the promotional rate and the regular rate.",
    "The technician visit was rescheduled because of the snowstorm.",
    "Customer is unhappy with the wait time on the phone line and asked for a credit.",
    "Applied a one-time courtesy credit on the next bill as approved by the supervisor.",
    "The streaming box keeps losing the connection to the Wi-Fi network upstairs.",
    "Walked the customer through resetting the router to factory settings.",
    "Checked the outage map: there is planned maintenance in the area tonight.",
    "The customer wants to downgrade the TV package at the end of the contract.",
    "Sent the troubleshooting guide and scheduled a follow-up call for next week.",
    "Speed test results are below the plan's advertised speed during the evening.",
    "Replaced the power adapter; the device now boots normally.",
    "Customer asked how the late payment fee is calculated and when it applies.",
    "No issue found on the line; the problem seems to be with the customer's own equipment.",
    "Escalated the billing dispute to the collections team for review.",
)
FR_PROSE = (
    "Le client signale des pannes internet intermittentes depuis mardi soir.",
    "Redémarrage du modem à distance; les niveaux de signal sont revenus à la normale.",
    "Expliqué la différence entre le tarif promotionnel et le tarif régulier.",
    "La visite du technicien a été reportée à cause de la tempête de neige.",
    "La cliente est mécontente du temps d'attente au téléphone et demande un crédit.",
    "Crédit de courtoisie appliqué sur la prochaine facture, approuvé par la superviseure.",
    "Le terminal de télé perd sans cesse la connexion au réseau Wi-Fi à l'étage.",
    "Accompagné le client pour réinitialiser le routeur aux paramètres d'usine.",
    "Vérifié la carte des pannes : un entretien est prévu dans le secteur ce soir.",
    "Le client veut réduire son forfait télé à la fin du contrat.",
    "Envoyé le guide de dépannage et prévu un rappel la semaine prochaine.",
    "Les tests de vitesse sont sous la vitesse annoncée du forfait en soirée.",
    "Remplacé l'adaptateur d'alimentation; l'appareil démarre normalement.",
    "Le client demande comment les frais de retard sont calculés.",
    "Aucun problème sur la ligne; l'équipement du client semble en cause.",
    "Dossier de facturation transmis à l'équipe de recouvrement pour révision.",
)
