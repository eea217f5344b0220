from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts are made by coordinators; helpers get their own sign-up page.
        return False

    def logout(self, request: HttpRequest) -> None:
        # This browser stops receiving the account's notifications (reminders carry a
        # helpee's address and door code): a shared family phone keeps none of them.
        from solidair.notifications.push import push_subscription_forget

        push_subscription_forget(request)
        super().logout(request)
