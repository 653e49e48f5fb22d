"""The live workshop (stages 3-6): boards, votes, root causes, actions and sharing, with its websocket."""
