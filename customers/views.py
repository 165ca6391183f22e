"""Portal pages of the customers app."""

from django.shortcuts import get_object_or_404, render

from customers.models import Customer
from rfeplatform.tenancy.views import team_view


@team_view()
def customer_list(request):
    customers = Customer.objects.for_team(request.team).order_by("name")
    query = request.GET.get("q", "").strip()
    if query:
        customers = customers.filter(name__icontains=query) | customers.filter(account_number__icontains=query)
    return render(
        request,
        "customers/customer_list.html",
        {"customers": customers, "query": query, "active_section": "customers"},
    )


@team_view()
def customer_detail(request, pk):
    customer = get_object_or_404(Customer.objects.for_team(request.team), pk=pk)
    return render(request, "customers/customer_detail.html", {"customer": customer, "active_section": "customers"})
