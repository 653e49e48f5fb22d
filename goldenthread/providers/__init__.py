"""The providers' half of the method: Individual Service Funds, flexible hours, matching staff and team tools.

From the providers' guide: a provider holds a person's Individual Service Fund
and spends it only as the person decides, on their support and the management
it needs, and shows them how (statements, easy read too); the person's hours
can be used flexibly under rules kept as data (:mod:`.flex`); staff are matched
to people by what they want (:mod:`.matching`); and the team learns with the
"4 plus 1 questions", learning logs and each role's "doughnut".

Plain libraries with no Django: :mod:`.flex`, :mod:`.matching`, :mod:`.pictograms`.
"""
