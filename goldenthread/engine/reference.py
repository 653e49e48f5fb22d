"""A fixed, varied set of person-centred statements (written for this project).

They are not data to cluster. They give the clusterer a stable picture of
"what a typical statement looks like" for each embedding model, so that the
background direction and the typical-pair similarity are sensible even for a
tiny input or one where every statement is about the same thing. For inputs
of hundreds of statements the input itself dominates the estimate.
"""
from __future__ import annotations

REFERENCE_STATEMENTS: tuple[str, ...] = (
    # what is working
    "I love going to the day centre on Tuesdays.",
    "My support worker helps me with my shopping.",
    "I enjoy cooking my own meals now.",
    "My daughter visits me every weekend.",
    "I feel safe in my flat.",
    "The carers arrive on time in the morning.",
    "I like choosing what I wear each day.",
    "Going swimming keeps me fit.",
    "I have a good relationship with my GP.",
    "My medication is sorted out every week.",
    "I can get the bus into town on my own.",
    "I like my garden and growing tomatoes.",
    "Church on Sunday is important to me.",
    "I have a part-time job at the café.",
    "My benefits are paid on time.",
    "I get on well with my neighbours.",
    "Playing football with my friends makes me happy.",
    "I can phone my sister whenever I want.",
    "My wheelchair has made getting about easier.",
    "I am listened to when decisions are made about me.",
    # what is not working
    "I only see staff, nobody else comes to visit.",
    "I don't get out of the house much.",
    "I worry about paying my bills.",
    "My flat is cold and damp.",
    "I can't sleep at night because of the noise.",
    "The carers keep changing and I don't know them.",
    "I find the stairs hard because of my knees.",
    "I have been waiting months for a hospital appointment.",
    "Nobody explains what is happening with my care plan.",
    "I feel bored during the day with nothing to do.",
    "The food here is not what I like to eat.",
    "I lost my job and I miss working.",
    "My memory is getting worse and it frightens me.",
    "I don't feel safe going out after dark.",
    "The taxi to the day centre is often late.",
    "I am in pain most days.",
    "My phone doesn't work and I can't contact anyone.",
    "I get anxious in busy places.",
    "I have no say in when I go to bed.",
    "My son lives far away and I rarely see him.",
    # what people want in future
    "I want to move into my own flat.",
    "I would like to find a paid job.",
    "I want to learn to read better.",
    "I would like to go on holiday to the seaside.",
    "I want to make new friends.",
    "I would like to manage my own money.",
    "I want to lose some weight and feel healthier.",
    "I would like a dog of my own.",
    "I want to see my grandchildren more often.",
    "I would like to go to college.",
    "I want to be able to cook for myself.",
    "I would like help to use the computer.",
    "I want to travel on the train by myself.",
    "I would like to join a choir.",
    "I want fewer people telling me what to do.",
    "I would like my own front door key.",
    "I want to volunteer at the animal shelter.",
    "I would like to stay living in my own home.",
    "I want to feel less tired.",
    "I would like to have a girlfriend.",
)
